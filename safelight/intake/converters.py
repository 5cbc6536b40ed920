"""The reporter side's `<org:...>` path converter, registered on import by every URL list that
uses it (safelight.intake.urls, safelight.escrow.reporter_urls)."""

from __future__ import annotations

from django.urls import register_converter

from safelight.accounts.models import RESERVED_SLUGS


class OrganisationSlug:
    """An organisation's address: a slug that is not one of Safelight's own first segments,
    so /staff/... never resolves to the reporter side, even where the staff side is not served."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrganisationSlug, "org")
