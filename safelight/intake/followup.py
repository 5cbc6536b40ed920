"""The reporter's way back in: the receipt opens the report, a short-lived cookie keeps it open.

The receipt is never stored. Once it has derived the report's keys, the cookie holds the report's
id and key sealed under a key derived from the server's secret: the cookie alone opens nothing,
and it ends when the browser closes or after 30 minutes without use.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safelight.crypto import CryptoError, derive_receipt_keys, normalize_receipt
from safelight.intake.models import Report
from safelight.intake.sealing import b64, open_json, seal_json, unb64

COOKIE = "safelight_report"
IDLE_SECONDS = 30 * 60


@dataclass
class OpenReport:
    report: Report
    report_key: bytes


def _cookie_key() -> bytes:
    return hashlib.blake2b(
        settings.SECRET_KEY.encode("utf-8"), digest_size=32, person=b"sl-followup"
    ).digest()


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
    sealed = open_json(keys.reporter_key, report.reporter_keys, purpose="receipt",
                       object_id=report.pk, field="keys")
    return OpenReport(report=report, report_key=unb64(sealed["report"]))


def keep_open(response: HttpResponse, opened: OpenReport) -> None:
    value = {"id": opened.report.pk.hex, "key": b64(opened.report_key), "at": int(time.time())}
    sealed = seal_json(_cookie_key(), value, purpose="followup", object_id="cookie", field="v1")
    response.set_cookie(
        COOKIE, b64(sealed), path="/", secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite="Strict",
    )


def back_to_report(opened: OpenReport) -> HttpResponse:
    """Redirect to the follow-up page, keeping the report open."""
    response = redirect("intake:followup")
    keep_open(response, opened)
    return response


def opened_report(request: HttpRequest) -> OpenReport | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        data = open_json(_cookie_key(), unb64(value), purpose="followup", object_id="cookie",
                         field="v1")
        report_id = uuid.UUID(hex=data["id"])
        key = unb64(data["key"])
    except (CryptoError, ValueError, KeyError, TypeError):
        return None
    if time.time() - data.get("at", 0) > IDLE_SECONDS:
        return None
    report = Report.objects.filter(pk=report_id).select_related("channel__organisation").first()
    if report is None:
        return None
    return OpenReport(report=report, report_key=key)


def close(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")
