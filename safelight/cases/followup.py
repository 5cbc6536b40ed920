"""What the reporter's follow-up page shows of the case: a retaliation check-in that is due, with
its form (a section of safelight.intake.followup_page, declared in
settings.SAFELIGHT_FOLLOWUP_SECTIONS; the answer goes to safelight.cases.views.reporter_checkins).
"""

from __future__ import annotations

from typing import Any

from safelight.cases.checkins import due_checkin
from safelight.intake.forms import CheckInForm
from safelight.reports.models import Report


def checkin_section(report: Report) -> dict[str, Any]:
    due = due_checkin(report)
    return {"checkin": due, "checkin_form": CheckInForm() if due else None}
