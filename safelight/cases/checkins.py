"""Retaliation check-ins: which one the reporter's follow-up page shows, and what the system
tells the reporter once they answered.

Check-ins are scheduled when a case is closed, cancelled when it is reopened and marked open when
they come due; those writes are in safelight.cases.actions. The texts are written in the
language active when they are asked for: the reporter's views ask within the report's language
(safelight.intake.followup_page.in_report_language).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _

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


def answered_notice(*, worse: bool) -> tuple[int, str]:
    """(message level, text) thanking the reporter for their answer, in the active language."""
    if worse:
        return messages.WARNING, _(
            "Thank you for telling us. Your case has been opened again and the people handling "
            "it have been alerted. They will reply here."
        )
    return messages.SUCCESS, _("Thank you for letting us know.")
