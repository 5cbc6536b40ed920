"""Risk triage's step in sending a report (safelight.intake.submission's protocol, declared in
settings.SAFELIGHT_SUBMISSION_STEPS): the reporter's answers to the safety checklist set the
report's first priority.

An urgent report shows urgent guidance on the receipt page and alerts the channel's on-call
handlers at once, with a notification that says nothing about the report; a held report alerts
no one until it is released (safelight.escrow.actions).
"""

from __future__ import annotations

from typing import Any

from safelight.notification_tasks import notify_urgent_task
from safelight.reports.access import questions_of_kind
from safelight.reports.models import Channel, Priority, QuestionKind, Report, Status
from safelight.tasks import enqueue_on_commit
from safelight.triage.access import active_checklist
from safelight.triage.actions import record_assessment


class RiskChecklist:
    """Records the reporter's checklist as the report's first assessment. Never holds or
    refuses a report."""

    def holds(self, *, channel: Channel, answers: dict[str, Any]) -> bool:
        return False

    def check(self, *, channel: Channel, answers: dict[str, Any], held: bool) -> None:
        return None

    def stored(self, *, report: Report, report_key: bytes, identity_key: bytes | None,
               answers: dict[str, Any], held: bool) -> None:
        questions = questions_of_kind(report.channel, QuestionKind.RISK_CHECKLIST)
        if not any(question.key in answers for question in questions):
            return
        checklist = active_checklist(report.channel.organisation)
        if checklist is None:
            return
        checked = sorted({key for q in questions for key in answers.get(q.key) or []})
        record_assessment(report=report, report_key=report_key, checklist=checklist,
                          checked=checked, handler=None)
        if report.priority == Priority.URGENT and report.status != Status.HELD:
            enqueue_on_commit(notify_urgent_task, str(report.pk))
