"""Daily reminder digests: which deadlines are near or past, counted per channel, by email.

Sent by safelight.cases.reminder_actions.send_reminders, a periodic job run every few minutes;
each handler gets at most one digest a day (ReminderSent). Counting happens in the database, a
few grouped queries whatever the number of cases, so that 100,000 open cases take seconds.

Who is reminded of a case: its assignee when it has one; otherwise the channel's coordinators who
hold its key. Never a handler who declared a conflict over it. The digest holds counts and names
of channels only (safelight.notifications).

Handlers who chose to hear of new reports and reporters' messages in the digest rather than at
once (Handler.notify) find them counted in it too: new since their last digest, not yet seen.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from safelight.accounts.access import has_email
from safelight.accounts.models import Handler, NotifyWhen
from safelight.cases.models import CaseReading, Conflict, ReminderSent
from safelight.notifications import DigestLine, News
from safelight.reports.models import Channel, Message, Recipient, Report, ReportKey, Role, Status

# How long before a deadline a case is in the digest (and every day after it has passed).
ACKNOWLEDGEMENT_LEAD = datetime.timedelta(days=2)
FEEDBACK_LEAD = datetime.timedelta(days=14)

COUNTS = ("acknowledgement", "acknowledgement_overdue", "feedback", "feedback_overdue")


def _due(now: datetime.datetime, prefix: str = "") -> Q:
    """Open reports whose next deadline is within its lead time, or past."""
    return ~Q(**{f"{prefix}status": Status.CLOSED}) & (
        Q(
            **{
                f"{prefix}acknowledged_at__isnull": True,
                f"{prefix}next_deadline__lte": now + ACKNOWLEDGEMENT_LEAD,
            }
        )
        | Q(
            **{
                f"{prefix}acknowledged_at__isnull": False,
                f"{prefix}next_deadline__lte": now + FEEDBACK_LEAD,
            }
        )
    )


def _counts(now: datetime.datetime, prefix: str = "") -> dict[str, Count]:
    """acknowledgement: not yet acknowledged; feedback: acknowledged, feedback still owed
    (next_deadline is None once both are met, so a due acknowledged case owes feedback)."""
    unacknowledged = Q(**{f"{prefix}acknowledged_at__isnull": True})
    overdue = Q(**{f"{prefix}next_deadline__lte": now})
    return {
        "acknowledgement": Count("pk", filter=unacknowledged),
        "acknowledgement_overdue": Count("pk", filter=unacknowledged & overdue),
        "feedback": Count("pk", filter=~unacknowledged),
        "feedback_overdue": Count("pk", filter=~unacknowledged & overdue),
    }


def _not_yet_reminded(handler_ref: str, day: datetime.date) -> Expression:
    return ~Exists(ReminderSent.objects.filter(handler=OuterRef(handler_ref), day=day))


def assigned_counts(now: datetime.datetime, day: datetime.date) -> QuerySet:
    """(assignee, channel) -> counts, for assigned cases, in one grouped query."""
    return (
        Report.objects.filter(
            _due(now),
            ~Exists(Conflict.objects.filter(report=OuterRef("pk"), handler=OuterRef("assignee"))),
            _not_yet_reminded("assignee", day),
            has_email("assignee__"),
            assignee__isnull=False,
            assignee__user__is_active=True,
        )
        .order_by()  # no default ordering in the GROUP BY
        .values_list("assignee", "channel")
        .annotate(**_counts(now))
    )


def coordinator_counts(now: datetime.datetime, day: datetime.date) -> QuerySet:
    """(coordinator, channel) -> counts, for unassigned cases whose key the coordinator holds."""
    coordinator = Recipient.objects.filter(
        channel=OuterRef("report__channel"), handler=OuterRef("handler"), role=Role.COORDINATOR
    )
    conflict = Conflict.objects.filter(report=OuterRef("report"), handler=OuterRef("handler"))
    return (
        ReportKey.objects.filter(
            _due(now, "report__"),
            Exists(coordinator),
            ~Exists(conflict),
            _not_yet_reminded("handler", day),
            has_email("handler__"),
            report__assignee__isnull=True,
            handler__user__is_active=True,
        )
        .order_by()
        .values_list("handler", "report__channel")
        .annotate(**_counts(now, "report__"))
    )


def digests(now: datetime.datetime) -> dict[Handler, list[DigestLine]]:
    """Every handler not yet reminded today who has something due, with their lines."""
    day = timezone.localdate(now)
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(COUNTS))
    for query in (assigned_counts(now, day), coordinator_counts(now, day)):
        for handler_id, channel_id, *counts in query:
            row = totals[(handler_id, channel_id)]
            for index, count in enumerate(counts):
                row[index] += count
    if not totals:
        return {}
    channels = (
        Channel.objects.select_related("organisation").prefetch_related("translations")
        .in_bulk({channel_id for _, channel_id in totals})
    )
    handlers = Handler.objects.select_related("user").in_bulk(
        {handler_id for handler_id, _ in totals}
    )
    result: dict[Handler, list[DigestLine]] = defaultdict(list)
    for (handler_id, channel_id), counts in totals.items():
        result[handlers[handler_id]].append(
            DigestLine(channel=channels[channel_id], **dict(zip(COUNTS, counts, strict=True)))
        )
    for lines in result.values():
        lines.sort(key=lambda line: (line.channel.position, line.channel.name, line.channel.pk))
    return dict(sorted(result.items(), key=lambda item: item[0].pk))


# A handler who chose the digest and never had one hears of what came in over the last day.
NEWS_WINDOW = datetime.timedelta(days=1)


def news_counts(now: datetime.datetime) -> dict[int, News]:
    """handler id -> the new reports and reporter messages it has not seen, for the handlers who
    chose to hear of them in the daily digest; one grouped query.

    "New" means since the handler's last digest (or the last day), among the cases whose key the
    handler holds and has no conflict over: reports the handler has not opened yet, and cases
    with a reporter's message sent after the handler last opened the case.
    """
    day = timezone.localdate(now)
    since = Coalesce(
        Subquery(
            ReminderSent.objects.filter(handler=OuterRef("handler"))
            .order_by("-sent_at")
            .values("sent_at")[:1]
        ),
        Value(now - NEWS_WINDOW, output_field=DateTimeField()),
    )
    opened = CaseReading.objects.filter(handler=OuterRef("handler"), report=OuterRef("report"))
    unread_message = Message.objects.filter(
        report=OuterRef("report"), author__isnull=True, sent_at__gt=OuterRef("since"),
    ).exclude(
        Exists(CaseReading.objects.filter(
            handler=OuterRef(OuterRef("handler")), report=OuterRef("report"),
            seen_at__gte=OuterRef("sent_at"),
        ))
    )
    new_report = Q(report__submitted_at__gt=F("since")) & ~Q(opened=True)
    conflict = Conflict.objects.filter(report=OuterRef("report"), handler=OuterRef("handler"))
    rows = (
        ReportKey.objects.filter(
            ~Exists(conflict),
            _not_yet_reminded("handler", day),
            has_email("handler__"),
            handler__notify=NotifyWhen.DIGEST,
            handler__user__is_active=True,
        )
        .exclude(report__status=Status.HELD)
        .annotate(since=since)
        .annotate(opened=Exists(opened), unread=Exists(unread_message))
        .filter(new_report | Q(unread=True))
        .order_by()
        .values_list("handler")
        .annotate(
            new_reports=Count("pk", filter=new_report),
            new_messages=Count("pk", filter=Q(unread=True)),
        )
    )
    return {
        handler_id: News(new_reports=reports, new_messages=messages)
        for handler_id, reports, messages in rows
    }
