"""A service written out as plain text, to append to a handler's reply to a reporter."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from safelight.referrals.models import Service


def referral_text(service: Service) -> str:
    """Name, what it is, how to contact it, hours, languages and accessibility, one per line."""
    title = service.name
    if service.provider:
        title = _("%(service)s (run by %(provider)s)") % {
            "service": service.name, "provider": service.provider,
        }
    lines = [title]
    if service.description:
        lines.append(" ".join(service.description.split()))
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
        (_("Opening hours"), service.hours),
        (_("Where it helps"), ", ".join(service.region_list())),
        (_("Languages"), ", ".join(service.language_names())),
        (_("Accessibility"), service.accessibility),
        (_("Who it is for"), service.eligibility),
        (_("Cost"), service.cost),
    )
    for label, value in details:
        if value:
            lines.append(f"{label}: {'; '.join(_lines(value))}")
    return "\n".join(lines)


def referrals_text(services: Iterable[Service]) -> str:
    """Several services, a blank line between them."""
    return "\n\n".join(referral_text(service) for service in services)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
