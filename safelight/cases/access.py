"""Which reports a handler may see: those of their own channels that were sealed to them, minus
those where they declared a conflict of interest.

Holding a sealed copy of the report key is what access means: a handler whom the reporter named
as someone who must not see the report never got one, an external investigator gets one only when
a case is assigned to them, and a handler who declares a conflict loses theirs. For everyone else
the report does not exist (404), just like a report of another channel or organisation.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler
from safelight.cases.models import CheckIn, Conflict, SupportMeasure
from safelight.intake.models import Attachment, Recipient, Report, ReportKey, Role


def reports_for_handler(handler: Handler) -> QuerySet[Report]:
    return (
        Report.objects.filter(
            Exists(ReportKey.objects.filter(report=OuterRef("pk"), handler=handler)),
            Exists(Recipient.objects.filter(channel=OuterRef("channel"), handler=handler)),
        )
        .exclude(Exists(Conflict.objects.filter(report=OuterRef("pk"), handler=handler)))
        .select_related("channel__organisation", "assignee__user")
    )


def report_for_handler(handler: Handler, report_id) -> Report:
    return get_object_or_404(reports_for_handler(handler), pk=report_id)


def key_for_handler(handler: Handler, report: Report) -> ReportKey:
    return get_object_or_404(ReportKey, handler=handler, report=report)


def attachment_for_handler(handler: Handler, report_id, attachment_id) -> Attachment:
    report = report_for_handler(handler, report_id)
    return get_object_or_404(Attachment, report=report, pk=attachment_id)


def measure_for_handler(handler: Handler, report_id, measure_id) -> SupportMeasure:
    report = report_for_handler(handler, report_id)
    return get_object_or_404(SupportMeasure, report=report, pk=measure_id)


def role_in_channel(handler: Handler, report: Report) -> str | None:
    return (
        Recipient.objects.filter(handler=handler, channel_id=report.channel_id)
        .values_list("role", flat=True)
        .first()
    )


def may_assign(handler: Handler, report: Report) -> bool:
    return role_in_channel(handler, report) == Role.COORDINATOR


def checkins_of(report: Report) -> QuerySet[CheckIn]:
    return report.checkins.all()
