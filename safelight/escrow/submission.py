"""Report together's step in sending a report (safelight.intake.submission, declared in
settings.SAFELIGHT_SUBMISSION_STEPS).

A reporter who chose to hold their report until someone else names the same person gets a held
report: no handler gets its key, which goes into escrow entries instead, for a counsellor to
release on a match (safelight.escrow.actions.add_entries).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safelight.escrow import together
from safelight.escrow.actions import EscrowUnavailable, add_entries
from safelight.intake.submission import Refused
from safelight.reports.access import questions_of_kind
from safelight.reports.models import Channel, QuestionKind, Report


class TogetherIncomplete(Refused):
    """The reporter chose to hold the report until someone else names the same person, but
    gave no way to recognise that person."""


class TogetherUnavailable(Refused):
    """The organisation does not offer report together now (EscrowUnavailable): not sent."""


class ReportTogether:
    """Holds the report when a "report together" question said yes; keeps its keys in escrow."""

    def holds(self, *, channel: Channel, answers: dict[str, Any]) -> bool:
        return together.holds(answers, questions_of_kind(channel, QuestionKind.REPORT_TOGETHER))

    def check(self, *, channel: Channel, answers: dict[str, Any], held: bool) -> None:
        if held and not together.identifiers(answers):
            raise TogetherIncomplete(_(
                "You chose to hold your report until someone else names the same person, but "
                "gave no detail to recognise that person by. Add one, or choose to send your "
                "report now."
            ))

    def stored(self, *, report: Report, report_key: bytes, identity_key: bytes | None,
               answers: dict[str, Any], held: bool) -> None:
        if not held:
            return
        # No handler gets the key yet: it goes into the escrow entries, for a counsellor to
        # release once someone else names the same person.
        try:
            add_entries(report=report, report_key=report_key, identity_key=identity_key,
                        identifiers=together.identifiers(answers))
        except EscrowUnavailable:
            raise TogetherUnavailable(_(
                "Report together is not available just now, so your report was not sent. You "
                "can choose to send it now instead, or try again later."
            )) from None
