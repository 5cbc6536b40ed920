"""The steps other apps add to sending a report: intake's interface, so it imports none of them.

Sending a report (safelight.intake.actions.submit_report) is intake's: it seals the answers under
a new report key, stores the report, seals the key to the channel's readers and moves the draft's
files. What other apps do at that moment (hold the report in matching escrow, score the risk
checklist) are submission steps, run in the order settings.SAFELIGHT_SUBMISSION_STEPS declares
(dotted paths of classes, loaded like Django's MIDDLEWARE): the order is written in one place,
and a step is an app's own module above or below intake.

Each step is asked, inside the report's transaction and in that order:

1. `holds(channel=, answers=)`: whether it keeps the report from its readers. If any step does,
   the report is stored as held: no reader gets its key.
2. `check(channel=, answers=, held=)`: raise `Refused`, with a message for the reporter, to refuse
   the report before anything is stored (`held` is this step's own answer to `holds`).
3. `stored(report=, report_key=, identity_key=, answers=, held=)`: once the report row exists and,
   unless held, its key went to the readers. Raising here undoes the whole report; a `Refused`
   shows its message.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from safelight.reports.models import Channel, Report

Answers = dict[str, Any]


class Refused(Exception):
    """A step refused the report; nothing was stored. `message` is for the reporter."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = str(message)


class SubmissionStep(Protocol):
    def holds(self, *, channel: Channel, answers: Answers) -> bool: ...

    def check(self, *, channel: Channel, answers: Answers, held: bool) -> None: ...

    def stored(self, *, report: Report, report_key: bytes, identity_key: bytes | None,
               answers: Answers, held: bool) -> None: ...


def submission_steps() -> list[SubmissionStep]:
    """The steps, in the order settings.SAFELIGHT_SUBMISSION_STEPS gives them."""
    return [import_string(path)() for path in settings.SAFELIGHT_SUBMISSION_STEPS]
