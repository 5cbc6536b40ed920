"""Retaliation check-ins: which one the reporter's follow-up page shows.

Check-ins are scheduled when a case is closed, cancelled when it is reopened and marked open when
they come due; those writes are in safelight.cases.actions.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from safelight.cases.models import CheckIn
from safelight.reports.models import Report


def due_checkin(report: Report, now: datetime.datetime | None = None) -> CheckIn | None:
    """The check-in the reporter should see now: the latest one due and not yet answered."""
    now = now or timezone.now()
    return (
        report.checkins.filter(due_at__lte=now, answered_at__isnull=True)
        .order_by("-due_at")
        .first()
    )
