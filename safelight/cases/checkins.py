"""Retaliation check-ins: scheduled at closing, shown on the reporter's follow-up page when due."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from safelight.audit.actions import record
from safelight.cases.models import CheckIn
from safelight.reports.models import Report


def schedule_checkins(report: Report, closed_at: datetime.datetime) -> list[CheckIn]:
    """Replace the report's unanswered check-ins with the channel's schedule from closed_at."""
    report.checkins.filter(answered_at__isnull=True).delete()
    return CheckIn.objects.bulk_create(
        CheckIn(report=report, due_at=closed_at + datetime.timedelta(days=days))
        for days in report.channel.checkin_day_list
    )


def cancel_pending_checkins(report: Report) -> None:
    report.checkins.filter(answered_at__isnull=True).delete()


def due_checkin(report: Report, now: datetime.datetime | None = None) -> CheckIn | None:
    """The check-in the reporter should see now: the latest one due and not yet answered."""
    now = now or timezone.now()
    return (
        report.checkins.filter(due_at__lte=now, answered_at__isnull=True)
        .order_by("-due_at")
        .first()
    )


@transaction.atomic
def open_due_checkins(now: datetime.datetime | None = None) -> int:
    """Mark every check-in that has come due as open; run by the periodic tick.

    The follow-up page shows a due check-in whether or not this ran; the mark records when it
    became visible, so the case page can say how long it has waited for an answer.
    """
    now = now or timezone.now()
    due = CheckIn.objects.filter(due_at__lte=now, opened_at__isnull=True, answered_at__isnull=True)
    count = due.update(opened_at=now)
    if count:
        record(action="checkins.opened")
    return count
