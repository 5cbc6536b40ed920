"""Permission-scoped reads of the escrow (DESIGN.md: views never query a protected model
directly). Only the organisation's counsellors see its matches; everyone else gets 404."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler
from safelight.escrow.models import EscrowEntry, EscrowMatch, EscrowSettings
from safelight.reports.models import Report, Status


def is_counsellor(handler: Handler) -> bool:
    return EscrowSettings.objects.filter(organisation_id=handler.organisation_id,
                                         counsellors=handler).exists()


def _require_counsellor(handler: Handler) -> None:
    if not is_counsellor(handler):
        raise Http404


def matches_for_counsellor(handler: Handler):
    """The organisation's matches, each with how many reports it holds."""
    _require_counsellor(handler)
    reports = (
        EscrowEntry.objects.filter(organisation_id=OuterRef("organisation_id"),
                                   match_index=OuterRef("match_index"))
        .order_by().values("match_index")
        .annotate(n=Count("report_id", distinct=True)).values("n")
    )
    return (
        EscrowMatch.objects.filter(organisation_id=handler.organisation_id)
        .annotate(report_count=Subquery(reports, output_field=IntegerField()))
        .select_related("resolved_by__user")
    )


def match_for_counsellor(handler: Handler, match_id: int) -> EscrowMatch:
    return get_object_or_404(matches_for_counsellor(handler), pk=match_id)


def held_counts(handler: Handler) -> tuple[int, int]:
    """How many of the organisation's reports are held, and how many escrow entries belong to
    held reports (the counsellor's overview)."""
    _require_counsellor(handler)
    reports = Report.objects.filter(channel__organisation_id=handler.organisation_id,
                                    status=Status.HELD).count()
    entries = EscrowEntry.objects.filter(organisation_id=handler.organisation_id,
                                         report__status=Status.HELD).count()
    return reports, entries
