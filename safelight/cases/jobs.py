"""Case handling's periodic jobs (safelight.tasks.periodic_job): check-ins and reminders."""

from __future__ import annotations

from safelight.cases.actions import open_due_checkins
from safelight.cases.reminder_actions import send_reminders
from safelight.tasks import periodic_job


@periodic_job("checkins_opened", order=20)
def checkins_opened() -> int:
    """Retaliation check-ins that have come due are marked open."""
    return open_due_checkins()


@periodic_job("reminders_sent", order=30)
def reminders_sent() -> int:
    """The daily digests of near and past deadlines."""
    return send_reminders()
