"""The check of a phone's apps on the reporter side, at /<organisation>/help/check/: for a
survivor alone or an advocate beside her; nobody signs in.

Nothing is stored: the pasted text or the file is checked while the request lasts and the
result is the response. No model, no session entry, no cache, no log line with content; the
file is held in memory (views.uploads), never on disk. Bad input comes back to the form with
the engine's plain message, the pasted text still in the box.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from safelight.reports.access import public_organisation
from safelight.techcheck import access, inputs, matching
from safelight.techcheck.forms import CheckForm
from safelight.techcheck.views.uploads import CappedMemoryUpload

# The most of one file the check reads: the engine's cap.
MAX_UPLOAD_BYTES = inputs.MAX_BYTES
# Findings that say how to act (remove the app, reset the phone) carry the safety note in place.
_REVIEW_ONLY = frozenset({matching.SENSITIVE_ACCESS})
_LISTED = frozenset({matching.STALKERWARE, matching.MONITORING, matching.INDICATOR_DOMAIN})
_GROUPS = (matching.CERTAIN, matching.LIKELY, matching.POSSIBLE, matching.INFORMATION)


@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """What the check does and does not do, safety first, and how to get the phone's list."""
    organisation = public_organisation(slug)
    return render(request, "techcheck/start.html", {
        "organisation": organisation, "max_mb": MAX_UPLOAD_BYTES // 2**20,
    })


@csrf_exempt  # checked below, once the upload handler is in place (csrf_protect reads the POST)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = public_organisation(slug)
    if request.method == "POST":
        # Before anything reads the POST: the file stays in memory and is never written.
        request.upload_handlers = [
            CappedMemoryUpload(request, field="file", limit=MAX_UPLOAD_BYTES)
        ]
        try:
            request.POST  # noqa: B018  (parses the body with the handler above)
        except RequestDataTooBig:
            # Pasted text longer than the server takes in a field: nothing was checked or
            # done, so the form comes back (without CSRF check, which needs the POST).
            return _form_page(request, organisation, CheckForm(), messages=[
                _("The pasted text is too long: save it in a file and choose the file instead."),
            ])
    return _protected_check(request, organisation)


@csrf_protect
def _protected_check(request: HttpRequest, organisation: Any) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, organisation, CheckForm())
    form = CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, organisation, form)
    upload = form.cleaned_data.get("file")
    if upload:
        stream: Any = upload.file
    else:
        stream = io.BytesIO(form.cleaned_data["text"].encode("utf-8"))
    try:
        result = matching.check(inputs.read_input(stream, limit=MAX_UPLOAD_BYTES),
                                access.current_indicators())
    finally:
        stream.close()
    if not result.readable or result.apps_checked == 0:
        messages = [m for m in (result.expected, *result.problems) if m]
        if upload:
            messages.append(_("Files are not kept: choose the file again to try once more."))
        # The form comes back with the text as it was typed; a file cannot be put back.
        again = CheckForm(initial={"text": form.cleaned_data["text"]})
        return _form_page(request, organisation, again, messages=messages)
    return render(request, "techcheck/results.html", {
        "organisation": organisation,
        "result": result,
        "groups": _grouped(result.findings),
        "nothing_listed": not any(f.kind in _LISTED for f in result.findings),
    })


def _form_page(request: HttpRequest, organisation: Any, form: CheckForm, *,
               messages: list[str] | None = None) -> HttpResponse:
    return render(request, "techcheck/check.html", {
        "organisation": organisation, "form": form, "messages_for_input": messages or [],
        "max_mb": MAX_UPLOAD_BYTES // 2**20,
    }, status=200)


def _grouped(findings: list[matching.Finding]) -> list[dict[str, Any]]:
    groups = []
    for confidence in _GROUPS:
        members = [
            {"finding": f, "suggests_removal": f.kind not in _REVIEW_ONLY}
            for f in findings if f.confidence == confidence
        ]
        if members:
            groups.append({"confidence": confidence,
                           "label": matching.confidence_label(confidence),
                           "findings": members})
    return groups
