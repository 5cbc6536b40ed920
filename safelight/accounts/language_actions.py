"""The handler's own choice of the language their notification emails are written in (the pages'
language is the chooser's, safelight.language). Atomic and audited, like every change a handler
makes to their own account (safelight.accounts.actions)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from safelight.accounts.models import Handler
from safelight.audit.actions import record


@transaction.atomic
def set_email_language(*, handler: Handler, language: str) -> Handler:
    """Raise ValueError for a language Safelight does not speak; a choice that changes nothing
    writes nothing."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not one of settings.LANGUAGES: {language!r}")
    handler = Handler.objects.select_for_update().get(pk=handler.pk)
    if handler.language == language:
        return handler
    handler.language = language
    handler.save(update_fields=["language"])
    record(action="handler.language.change", actor=handler.user,
           organisation=handler.organisation, target=handler)
    return handler
