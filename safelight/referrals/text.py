"""A service written out as plain text, to append to a handler's reply to a reporter."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from safelight.referrals.models import Service


def referral_text(service: Service, language: str | None = None) -> str:
    """Name, what it is, how to contact it, hours, languages and accessibility, one per line.

    `language`: the language of the reply it goes into (a reply template's language); the
    service's words in it, else in the organisation's default language. None: the active one."""
    if language is None:
        return _referral_text(service)
    previous = service.get_current_language()
    service.set_current_language(language)
    try:
        with translation.override(language):
            return _referral_text(service)
    finally:
        service.set_current_language(previous)


def _referral_text(service: Service) -> str:
    title = service.name
    if service.provider:
        title = _("%(service)s (run by %(provider)s)") % {
            "service": service.name, "provider": service.provider,
        }
    lines = [title]
    description = service.text("description")
    if description:
        lines.append(" ".join(description.split()))
    contacts = (
        (_("Phone"), service.phone),
        (_("Text message"), service.text_number),
        (_("Email"), service.email),
        (_("Website"), service.website),
        (_("Web chat"), service.chat_url),
    )
    for label, value in contacts:
        if value:
            lines.append(f"{label}: {value}")
    details = (
        (_("Opening hours"), service.text("hours")),
        (_("Where it helps"), ", ".join(service.region_list())),
        (_("Languages"), ", ".join(service.language_names())),
        (_("Accessibility"), service.text("accessibility")),
        (_("Who it is for"), service.text("eligibility")),
        (_("Cost"), service.text("cost")),
    )
    for label, value in details:
        if value:
            lines.append(f"{label}: {'; '.join(_lines(value))}")
    return "\n".join(lines)


def referrals_text(services: Iterable[Service], language: str | None = None) -> str:
    """Several services, a blank line between them."""
    return "\n\n".join(referral_text(service, language) for service in services)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
