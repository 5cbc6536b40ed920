"""A handler's view of an evidence locker that a survivor shared with them through a report.

Read-only: the pages show what the survivor's pages show (the timeline, each incident with its
history, the counts of each import first, flagged messages behind a content warning) and let the
handler download files and export a bundle, but never change the locker. Only a handler whom the
locker was shared with sees it (evidence.access); for everyone else it does not exist (404).
Every request that opens the locker records one audit event naming the handler.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from safelight.accounts import keyring
from safelight.accounts.access import HandlerRequest, handler_required
from safelight.evidence import access, actions, reading
from safelight.evidence.forms import ExportForm
from safelight.evidence.opened import OpenLocker
from safelight.evidence.responses import (
    bundle_response,
    categories,
    file_response,
    render_messages,
)
from safelight.evidence.taxonomy import kind_label


def _shared(request: HandlerRequest, locker_id: uuid.UUID) -> OpenLocker:
    """The locker, opened with the handler's key; 404 unless it was shared with them."""
    return access.shared_locker(request.handler, keyring.unlocked_key(request), locker_id)


def _open(request: HandlerRequest, locker_id: uuid.UUID) -> OpenLocker:
    """The shared locker, opened with the handler's key, and the request's one audit event."""
    opened = _shared(request, locker_id)
    actions.view_shared_locker(locker=opened.locker, actor=request.user,
                               organisation=request.handler.organisation)
    return opened


def _context(request: HandlerRequest, opened: OpenLocker, **values: Any) -> dict[str, Any]:
    """What every page of a shared locker shows: who is looking, and which locker."""
    return {"handler": request.handler, "locker": opened.locker, **values}


@handler_required
@require_safe
def home(request: HandlerRequest, locker_id: uuid.UUID) -> HttpResponse:
    """The shared locker: its timeline, the counts of each import, the reports it came through."""
    opened = _open(request, locker_id)
    imports = [{"item": item, "categories": categories(item)}
               for item in reading.imports(opened)]
    return render(request, "evidence/staff_home.html", _context(
        request, opened, incidents=reading.incidents(opened), imports=imports,
        log_size=opened.locker.log_size,
        reports=access.reports_sharing(request.handler, opened.locker)))


@handler_required
@require_safe
def incident(request: HandlerRequest, locker_id: uuid.UUID, incident_id: uuid.UUID) -> HttpResponse:
    """One incident of the shared locker, with every version."""
    opened = _open(request, locker_id)
    view = reading.incident_view(opened, access.incident_in_locker(opened.locker, incident_id),
                                 history=True)
    for version in view.versions:
        kind = version.content.get("kind")
        version.kind_label = kind_label(kind) if kind else ""
    return render(request, "evidence/staff_incident.html",
                  _context(request, opened, incident=view))


@handler_required
@require_safe
def import_detail(request: HandlerRequest, locker_id: uuid.UUID,
                  import_id: uuid.UUID) -> HttpResponse:
    """One import of the shared locker: the counts first, no message yet."""
    opened = _open(request, locker_id)
    view = reading.import_view(opened, access.import_in_locker(opened.locker, import_id))
    return render(request, "evidence/staff_import.html", _context(
        request, opened, item=view, categories=categories(view)))


@handler_required
@require_safe
def messages(request: HandlerRequest, locker_id: uuid.UUID, import_id: uuid.UUID) -> HttpResponse:
    """An import's messages: one category behind a content warning, or all of them."""
    opened = _open(request, locker_id)
    return render_messages(request, opened, access.import_in_locker(opened.locker, import_id),
                           warning="evidence/staff_content_warning.html",
                           listing="evidence/staff_messages.html",
                           context=_context(request, opened))


@handler_required
@require_safe
def download(request: HandlerRequest, locker_id: uuid.UUID, file_id: uuid.UUID) -> HttpResponseBase:
    """Download one of the shared locker's files (audited as a download, not a view)."""
    opened = _shared(request, locker_id)
    row = access.file_in_locker(opened.locker, file_id)
    actions.download_shared_file(row=row, actor=request.user,
                                 organisation=request.handler.organisation)
    return file_response(reading.file_view(opened, row))


@handler_required
@require_http_methods(["GET", "POST"])
def export(request: HandlerRequest, locker_id: uuid.UUID) -> HttpResponseBase:
    """Choose what of the shared locker goes into a bundle; the export is audited."""
    opened = _shared(request, locker_id)
    incidents = reading.incidents(opened)
    imports = reading.imports(opened)
    form = ExportForm(request.POST or None, incidents=incidents, imports=imports)
    if request.method == "POST" and form.is_valid():
        return bundle_response(opened, incident_ids=form.cleaned_data["incidents"],
                               import_choices=form.choices(), actor=request.user,
                               organisation=request.handler.organisation)
    actions.view_shared_locker(locker=opened.locker, actor=request.user,
                               organisation=request.handler.organisation)
    return render(request, "evidence/staff_export.html", _context(
        request, opened, form=form, empty=opened.locker.log_size == 0))
