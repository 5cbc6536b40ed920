"""Reads the reporter side may make: only what an organisation publishes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Organisation
from safelight.intake.models import Attachment, Channel, Recipient


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def open_channels(organisation: Organisation) -> QuerySet[Channel]:
    """Channels taking reports: active, and at least one recipient able to read (a key pair)."""
    readable = Recipient.objects.filter(channel=OuterRef("pk"), handler__public_key__isnull=False)
    return (
        Channel.objects.filter(organisation=organisation, active=True)
        .filter(Exists(readable))
        .select_related("organisation", "questionnaire")
        .order_by("position", "name")
    )


def open_channel(organisation_slug: str, channel_slug: str) -> Channel:
    organisation = public_organisation(organisation_slug)
    return get_object_or_404(open_channels(organisation), slug=channel_slug)


def reporter_attachment(report, attachment_id) -> Attachment:
    return get_object_or_404(Attachment, report=report, pk=attachment_id)
