"""The reporter's way back in: the receipt opens the report, a short-lived cookie keeps it open.

The receipt is never stored. Once it has derived the report's keys, the cookie holds the report's
id and key sealed under a key derived from the server's secret: the cookie alone opens nothing,
and it ends when the browser closes or after 30 minutes without use. It also names a server-side
session (reporter_sessions), which Leave and Quick exit end: a copied cookie then opens nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safelight import sealed_cookies
from safelight.crypto import CryptoError, derive_receipt_keys, normalize_receipt
from safelight.intake import session_actions
from safelight.intake.reporter_sessions import FOLLOWUP
from safelight.reports.models import Report
from safelight.reports.sealing import b64, open_json, unb64

COOKIE = "safelight_report"
IDLE_SECONDS = 30 * 60
PERSON = b"sl-followup"
PURPOSE = "followup"


@dataclass
class OpenReport:
    report: Report
    report_key: bytes
    # The server-side session that keeps it open; None until keep_open starts one.
    session_id: str | None = None

    def __repr__(self) -> str:
        return f"<OpenReport {self.report.pk}>"


def open_with_receipt(text: str) -> OpenReport | None:
    """The report this receipt belongs to, or None. One answer for every kind of wrong."""
    try:
        receipt = normalize_receipt(text)
    except CryptoError:
        return None
    keys = derive_receipt_keys(receipt, settings.SAFELIGHT_RECEIPT_PEPPER)
    report = Report.objects.filter(lookup_id=keys.lookup_id).select_related(
        "channel__organisation").first()
    if report is None:
        return None
    sealed = open_json(keys.reporter_key, bytes(report.reporter_keys), purpose="receipt",
                       object_id=report.pk, field="keys")
    return OpenReport(report=report, report_key=unb64(sealed["report"]))


def keep_open(response: HttpResponse, opened: OpenReport) -> None:
    if opened.session_id is None:
        opened.session_id = session_actions.start_reporter_session(kind=FOLLOWUP)
    sealed_cookies.write(response, COOKIE, {"id": opened.report.pk.hex,
                                            "key": b64(opened.report_key)},
                         person=PERSON, purpose=PURPOSE, session_id=opened.session_id)


def back_to_report(opened: OpenReport) -> HttpResponse:
    """Redirect to the follow-up page, keeping the report open."""
    response = redirect("intake:followup")
    keep_open(response, opened)
    return response


def opened_report(request: HttpRequest) -> OpenReport | None:
    data = sealed_cookies.read(request, COOKIE, person=PERSON, purpose=PURPOSE,
                               idle_seconds=IDLE_SECONDS, kind=FOLLOWUP)
    if data is None:
        return None
    try:
        report_id = uuid.UUID(hex=data["id"])
        key = unb64(data["key"])
    except (ValueError, KeyError, TypeError):
        return None
    report = Report.objects.filter(pk=report_id).select_related("channel__organisation").first()
    if report is None:
        return None
    return OpenReport(report=report, report_key=key, session_id=data[sealed_cookies.SESSION])


def session_id(request: HttpRequest) -> str | None:
    """The follow-up session this browser's cookie names (open, idle or already ended)."""
    return sealed_cookies.session_id(request, COOKIE, person=PERSON, purpose=PURPOSE)


def close(response: HttpResponse, *, request: HttpRequest | None = None) -> None:
    """Delete the cookie; given the request, also end its session on the server."""
    session_actions.close_sealed_session(response, COOKIE, person=PERSON, purpose=PURPOSE,
                                         request=request)
