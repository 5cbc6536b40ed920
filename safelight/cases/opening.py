"""Opening a report with the handler's unlocked private key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safelight.accounts import keyring
from safelight.accounts.models import Handler
from safelight.audit.models import Event
from safelight.crypto import DecryptionError, open_sealed
from safelight.reports.models import QuestionKind, Report, ReportKey
from safelight.reports.sealing import REPORT, SealedAnswers, open_answers, open_json


@dataclass
class OpenedReport:
    report: Report
    report_key: bytes
    identity_key: bytes | None

    # Opened once per request: the page, the assignee list and key sealing all read the answers.
    _answers: SealedAnswers | None = field(default=None, init=False, repr=False)

    def answers(self) -> SealedAnswers:
        """The answered entries; `.language` is the language the reporter wrote in (None: not
        recorded, for reports sent before it was sealed with them)."""
        if self._answers is None:
            self._answers = open_answers(self.report_key, bytes(self.report.answers),
                                         object_id=self.report.pk)
        return self._answers

    @property
    def language(self) -> str | None:
        return self.answers().language

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
        return open_json(self.identity_key, bytes(self.report.identity), purpose=REPORT,
                         object_id=self.report.pk, field="identity")


class KeyCannotOpen(Exception):
    """The report key was sealed to a key pair this handler no longer has (it was replaced, after
    a password reset): this key cannot open the report. `readers` are the other handlers given
    the report whose key pair was never replaced, so whose key can open it."""

    def __init__(self, report: Report, readers: list[str]) -> None:
        super().__init__("the handler's current key cannot open this report")
        self.report = report
        self.readers = readers


def open_report(request: HttpRequest, report: Report, key: ReportKey) -> OpenedReport:
    private_key = keyring.unlocked_key(request)
    try:
        report_key = open_sealed(private_key, bytes(key.sealed_report_key))
        identity_key = None
        if key.sealed_identity_key is not None:
            identity_key = open_sealed(private_key, bytes(key.sealed_identity_key))
    except DecryptionError as exc:
        raise KeyCannotOpen(report, readers_who_can_open(report, but=key.handler_id)) from exc
    return OpenedReport(report=report, report_key=report_key, identity_key=identity_key)


def readers_who_can_open(report: Report, *, but: int) -> list[str]:
    """Names of the handlers holding this report's key whose key pair was never replaced.

    A sealed box does not say whose key it was sealed to; a key pair that was never replaced
    is the one every key given to that handler was sealed to.
    """
    holders = Handler.objects.filter(report_keys__report=report).exclude(pk=but).select_related(
        "user")
    replaced = set(Event.objects.filter(
        action="handler.keys.replace", target_type=Handler._meta.label_lower,
        target_id__in=[str(h.pk) for h in holders]).values_list("target_id", flat=True))
    return sorted(
        (h.display_name or h.user.get_full_name() or h.user.get_username())
        for h in holders if str(h.pk) not in replaced)


class KeyCannotOpenMiddleware:
    """Shows "this key cannot open the report, and who can" instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, KeyCannotOpen):
            return None
        return render(request, "cases/key_cannot_open.html",
                      {"report": exception.report, "readers": exception.readers}, status=403)
