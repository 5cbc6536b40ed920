"""Opening a report with the handler's unlocked private key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from safelight.accounts import keyring
from safelight.crypto import open_sealed
from safelight.intake.models import QuestionKind, Report, ReportKey
from safelight.intake.sealing import REPORT, open_json


@dataclass
class OpenedReport:
    report: Report
    report_key: bytes
    identity_key: bytes | None

    # Opened once per request: the page, the assignee list and key sealing all read the answers.
    _answers: list[dict[str, Any]] | None = field(default=None, init=False, repr=False)

    def answers(self) -> list[dict[str, Any]]:
        if self._answers is None:
            self._answers = open_json(self.report_key, self.report.answers, purpose=REPORT,
                                      object_id=self.report.pk, field="answers")
        return self._answers

    def excluded_handler_ids(self) -> set[int]:
        """The handlers the reporter named as people who must not see the report.

        The list lives only inside the sealed answers; it is read here, in memory, whenever a key
        is about to be sealed to someone new.
        """
        excluded: set[int] = set()
        for entry in self.answers():
            if entry.get("kind") == QuestionKind.EXCLUDED_RECIPIENTS:
                excluded.update(int(value) for value in entry.get("value") or [])
        return excluded

    def identity(self) -> list[dict[str, Any]] | None:
        """The reporter's identity answers, if given and if this handler may see them."""
        if self.identity_key is None or self.report.identity is None:
            return None
        return open_json(self.identity_key, self.report.identity, purpose=REPORT,
                         object_id=self.report.pk, field="identity")


def open_report(request: HttpRequest, report: Report, key: ReportKey) -> OpenedReport:
    private_key = keyring.unlocked_key(request)
    report_key = open_sealed(private_key, bytes(key.sealed_report_key))
    identity_key = None
    if key.sealed_identity_key is not None:
        identity_key = open_sealed(private_key, bytes(key.sealed_identity_key))
    return OpenedReport(report=report, report_key=report_key, identity_key=identity_key)
