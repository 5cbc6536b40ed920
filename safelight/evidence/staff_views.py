"""A handler's view of an evidence locker that a survivor shared with them through a report.

Read-only: the pages show what the survivor's pages show (the timeline, each incident with its
history, the counts of each import first, flagged messages behind a content warning) and let the
handler download files and export a bundle, but never change the locker. Only a handler whom the
locker was shared with sees it (evidence.access); for everyone else it does not exist (404).
Every request that opens the locker records one audit event naming the handler.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from safelight.accounts import keyring
from safelight.accounts.access import handler_required
from safelight.evidence import access, actions, reading
from safelight.evidence.export_views import bundle_response
from safelight.evidence.forms import ExportForm
from safelight.evidence.import_views import categories, import_row, render_messages
from safelight.evidence.incident_views import file_response
from safelight.evidence.session import OpenLocker
from safelight.evidence.taxonomy import kind_label

PER_PAGE = 100


def _shared(request: HttpRequest, locker_id) -> OpenLocker:
    return access.shared_locker(request.handler, keyring.unlocked_key(request), locker_id)


def _open(request: HttpRequest, locker_id) -> OpenLocker:
    """The shared locker, opened with the handler's key, and the request's one audit event."""
    opened = _shared(request, locker_id)
    actions.view_shared_locker(locker=opened.locker, actor=request.user,
                               organisation=request.handler.organisation)
    return opened


def _context(request: HttpRequest, opened: OpenLocker, **values) -> dict:
    return {"handler": request.handler, "locker": opened.locker, **values}


@handler_required
@require_safe
def home(request: HttpRequest, locker_id) -> HttpResponse:
    opened = _open(request, locker_id)
    imports = [{"item": item, "categories": categories(item)}
               for item in reading.imports(opened)]
    return render(request, "evidence/staff_home.html", _context(
        request, opened, incidents=reading.incidents(opened), imports=imports,
        log_size=opened.locker.log_size,
        reports=access.reports_sharing(request.handler, opened.locker)))


@handler_required
@require_safe
def incident(request: HttpRequest, locker_id, incident_id) -> HttpResponse:
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
def import_detail(request: HttpRequest, locker_id, import_id) -> HttpResponse:
    opened = _open(request, locker_id)
    view = reading.import_view(opened, import_row(opened, import_id))
    return render(request, "evidence/staff_import.html", _context(
        request, opened, item=view, categories=categories(view)))


@handler_required
@require_safe
def messages(request: HttpRequest, locker_id, import_id) -> HttpResponse:
    opened = _open(request, locker_id)
    return render_messages(request, opened, import_row(opened, import_id),
                           warning="evidence/staff_content_warning.html",
                           listing="evidence/staff_messages.html",
                           context=_context(request, opened))


@handler_required
@require_safe
def download(request: HttpRequest, locker_id, file_id) -> HttpResponse:
    opened = _shared(request, locker_id)
    row = access.file_in_locker(opened.locker, file_id)
    actions.download_shared_file(row=row, actor=request.user,
                                 organisation=request.handler.organisation)
    return file_response(reading.file_view(opened, row))


@handler_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, locker_id) -> HttpResponse:
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
