"""Reads of the escrow (DESIGN.md: views never query a protected model directly): whether an
organisation offers report together and to whose keys, and, scoped to its counsellors, its
matches. Only the organisation's counsellors see its matches; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler, Organisation
from safelight.crypto import PublicKey
from safelight.escrow import keyservices
from safelight.escrow.models import EscrowEntry, EscrowMatch, EscrowSettings
from safelight.reports.access import readers, reports_for_handler
from safelight.reports.models import QuestionKind, Recipient, Report, Status
from safelight.reports.sealing import REPORT, open_json


def escrow_settings(organisation: Organisation) -> EscrowSettings | None:
    return EscrowSettings.objects.filter(organisation=organisation).first()


def counsellor_keys(organisation: Organisation) -> list[tuple[Handler, PublicKey]]:
    """The public keys of the counsellors who can open entries, where report together is on:
    one query (bench.escrow: this is on the path of every held report)."""
    return [
        (handler, handler.sealing_key())
        for handler in Handler.objects.filter(
            counselling_escrow__organisation=organisation, counselling_escrow__enabled=True,
            public_key__isnull=False,
        ).order_by("pk")
    ]


def available(organisation: Organisation) -> bool:
    found = escrow_settings(organisation)
    return bool(
        found is not None and found.enabled and keyservices.configured()
        and found.counsellors.filter(public_key__isnull=False).exists()
    )


def is_counsellor(handler: Handler) -> bool:
    return EscrowSettings.objects.filter(organisation_id=handler.organisation_id,
                                         counsellors=handler).exists()


def _require_counsellor(handler: Handler) -> None:
    if not is_counsellor(handler):
        raise Http404


def matches_for_counsellor(handler: Handler) -> QuerySet[EscrowMatch]:
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


def sealed_elsewhere(match: EscrowMatch, handler: Handler) -> int:
    """Entries of the match with no share sealed to this counsellor (added before they were
    one): another counsellor has to open those."""
    return match.entries().exclude(shares__counsellor=handler).count()


def readable_among(handler: Handler, reports: Iterable[Report]) -> set[UUID]:
    """The ids of those reports the handler may open as a case (safelight.reports.access)."""
    return set(reports_for_handler(handler).filter(pk__in=[r.pk for r in reports])
               .values_list("pk", flat=True))


def release_readers(report: Report, report_key: bytes) -> list[Recipient]:
    """Who reads a held report once a match releases it: the channel's readers, the reporter's
    exclusions applied (read from the sealed answers, in memory), as at sending."""
    entries = open_json(report_key, bytes(report.answers), purpose=REPORT, object_id=report.pk,
                        field="answers")
    answers = {e["key"]: e["value"] for e in entries
               if e.get("kind") == QuestionKind.EXCLUDED_RECIPIENTS}
    return readers(report.channel, answers)
