"""Export a chosen set of incidents and messages as a signed, verifiable bundle (a ZIP)."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from safelight.evidence import reading
from safelight.evidence.forms import ExportForm
from safelight.evidence.opened import OpenLocker
from safelight.evidence.responses import bundle_response, with_locker


@with_locker
def choose(request: HttpRequest, opened: OpenLocker) -> HttpResponseBase:
    """Choose what goes into the bundle; a valid choice downloads it at once."""
    incidents = reading.incidents(opened)
    imports = reading.imports(opened)
    form = ExportForm(request.POST or None, incidents=incidents, imports=imports)
    if request.method == "POST" and form.is_valid():
        return bundle_response(opened, incident_ids=form.cleaned_data["incidents"],
                               import_choices=form.choices())
    return render(request, "evidence/export.html", {
        "form": form, "incidents": incidents, "imports": imports,
        "empty": opened.locker.log_size == 0})
