"""A whole directory as an HSDS file to download: JSON, or a zip of CSV tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from safelight.accounts.models import Organisation
from safelight.referrals import hsds_csv, hsds_json
from safelight.referrals.models import Service

FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def services_to_export(organisation: Organisation) -> QuerySet[Service]:
    """Every entry, listed or not: an export is the administrators' copy of the directory.
    HSDS has one text per field: the words are the organisation's default language's, whatever
    the language of the page the export was asked from (an import writes them there too)."""
    return (
        Service.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("categories", "translations")
        .order_by("name", "pk")
        .language(organisation.default_language)
    )


def export_file(organisation: Organisation, fmt: str) -> ExportFile:
    services = services_to_export(organisation)
    stem = f"referrals-{organisation.slug}-{timezone.localdate().isoformat()}"
    if fmt == "json":
        return ExportFile(hsds_json.dumps(services), "application/json", f"{stem}.json")
    if fmt == "csv":
        return ExportFile(hsds_csv.zip_bytes(services), "application/zip", f"{stem}.zip")
    raise ValueError(f"unknown export format {fmt!r}")
