"""Which reports a handler may see: those of their own channels that were sealed to them, minus
those where they declared a conflict of interest.

Holding a sealed copy of the report key is what access means: a handler whom the reporter named
as someone who must not see the report never got one, an external investigator gets one only when
a case is assigned to them, and a handler who declares a conflict loses theirs. For everyone else
the report does not exist (404), just like a report of another channel or organisation.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler
from safelight.cases.models import CaseReading, CheckIn, SupportMeasure
from safelight.cases.opening import OpenedReport
from safelight.reports.access import report_for_handler, reports_for_handler
from safelight.reports.models import Message, Recipient, Report, Role, Status

# The inbox's "due soon" filter.
SOON = datetime.timedelta(days=2)

# What an inbox row shows: the ciphertexts stay out of the query, so the page sorts narrow rows.
INBOX_COLUMNS = (
    "id", "channel__organisation__default_language", "status", "priority", "priority_rank",
    "submitted_at",
    "acknowledge_by", "acknowledged_at", "feedback_by", "feedback_at", "next_deadline",
    "assignee__user__first_name", "assignee__user__last_name", "assignee__user__username",
)


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


def eligible_assignees(opened: OpenedReport) -> list[Recipient]:
    """Who this case may be assigned to: the channel's recipients with a key pair, minus those the
    reporter named and those who declared a conflict."""
    report = opened.report
    excluded = opened.excluded_handler_ids()
    conflicted = set(report.conflicts.values_list("handler_id", flat=True))
    return [
        recipient
        for recipient in Recipient.objects.filter(channel_id=report.channel_id)
        .select_related("handler__user")
        .order_by("handler__user__username")
        if recipient.handler.public_key is not None
        and recipient.handler_id not in excluded
        and recipient.handler_id not in conflicted
    ]


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


def inbox_reports(
    handler: Handler, *, status: str, due: str, priority: str, assigned: str,
    now: datetime.datetime, unread: str = "",
) -> QuerySet[Report]:
    """The handler's cases for the inbox, filtered (each filter's value as its form gives it),
    urgent first, or by deadline when filtered by one.

    Every row's columns are fields of the report or its select_related channel and assignee,
    plus a subquery counting the reporter's messages the handler has not read (sent after they
    last opened the case).
    """
    reports = reports_for_handler(handler).annotate(unread=unread_count_expression(handler))
    if unread == "yes":
        reports = reports.filter(unread__gt=0)
    if status == "open":
        reports = reports.exclude(status=Status.CLOSED)
    elif status in Status.values:
        reports = reports.filter(status=status)
    if due == "overdue":
        reports = reports.filter(next_deadline__lt=now)
    elif due == "soon":
        reports = reports.filter(next_deadline__lt=now + SOON)
    if priority:
        reports = reports.filter(priority=priority)
    if assigned == "me":
        reports = reports.filter(assignee=handler)
    elif assigned == "nobody":
        reports = reports.filter(assignee__isnull=True)
    order = ("next_deadline",) if due else ("priority_rank", "-submitted_at")
    return reports.order_by(*order, "pk").select_related(None).select_related(
        "channel__organisation", "assignee__user"
    ).prefetch_related("channel__translations").only(*INBOX_COLUMNS)
