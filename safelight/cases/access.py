"""Which reports a handler may see: those of their own channels that were sealed to them, minus
those where they declared a conflict of interest.

Holding a sealed copy of the report key is what access means: a handler whom the reporter named
as someone who must not see the report never got one, an external investigator gets one only when
a case is assigned to them, and a handler who declares a conflict loses theirs. For everyone else
the report does not exist (404), just like a report of another channel or organisation.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler
from safelight.cases.models import CaseReading, CheckIn, SupportMeasure
from safelight.reports.access import report_for_handler
from safelight.reports.models import Message, Recipient, Report, Role


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


def _unread_by(handler: Handler) -> QuerySet[Message]:
    """The reporter's messages (of the report in OuterRef("pk")) sent after the handler last
    opened the case, or ever if they never did."""
    seen = CaseReading.objects.filter(
        handler=handler, report=OuterRef("report"), seen_at__gte=OuterRef("sent_at")
    )
    return Message.objects.filter(report=OuterRef("pk"), author__isnull=True).exclude(
        Exists(seen)
    )


def unread_count_expression(handler: Handler) -> Coalesce:
    """For annotating reports: how many of the reporter's messages this handler has not read."""
    counted = (
        _unread_by(handler).order_by().values("report").annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def unread_count(handler: Handler, report: Report) -> int:
    """How many of the reporter's messages came after the handler last opened the case."""
    seen_at = (
        CaseReading.objects.filter(handler=handler, report=report)
        .values_list("seen_at", flat=True)
        .first()
    )
    messages = Message.objects.filter(report=report, author__isnull=True)
    if seen_at is not None:
        messages = messages.filter(sent_at__gt=seen_at)
    return messages.count()
