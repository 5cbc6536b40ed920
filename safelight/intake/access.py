"""Reads the reporter side may make: only what an organisation publishes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Organisation


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)
