"""Incidents: write one down, read it with its history, change it (the old version stays)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safelight.downloads import attachment, neutral_name
from safelight.evidence import access, actions, kept_files, reading
from safelight.evidence.forms import IncidentForm, KeptFilesForm
from safelight.evidence.models import Incident
from safelight.evidence.opened import OpenLocker
from safelight.evidence.quota import LockerFull
from safelight.evidence.responses import file_response, with_locker
from safelight.reports.uploads import EncryptedUpload


def _uploads(form: IncidentForm) -> tuple[list[EncryptedUpload], list[str]]:
    """The form's files that can be kept, and a plain message for each one that cannot."""
    uploads: list[EncryptedUpload] = []
    errors: list[str] = []
    for upload in getattr(form, "cleaned_data", {}).get("files") or []:
        if getattr(upload, "storage_failed", False):
            errors.append(_("“%(name)s” could not be stored. Please try again.")
                          % {"name": upload.name})
        elif getattr(upload, "too_large", False):
            errors.append(_("“%(name)s” is too large to keep here.") % {"name": upload.name})
        elif upload.size == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": upload.name})
        else:
            uploads.append(upload)
    return uploads, errors


def _save(request: HttpRequest, opened: OpenLocker, incident: Incident | None,
          initial: dict[str, Any] | None) -> HttpResponse:
    """The incident form. A file chosen on a try that cannot be saved (an error anywhere on the
    form) is kept, encrypted, and listed as already attached, so it need not be chosen again."""
    if request.method != "POST":
        return render(request, "evidence/incident_form.html", {
            "form": IncidentForm(initial=initial), "incident": incident, "file_errors": [],
            "kept": [],
        })
    form = IncidentForm(request.POST, request.FILES, initial=initial)
    kept_form = KeptFilesForm(request.POST, kept=kept_files.kept_files(opened))
    file_errors: list[str] = []
    keeping: list[str] = []
    full = ""  # the refusal of a save past the locker's quota
    if kept_form.is_valid():
        keeping = kept_form.keeping()
        removed = kept_form.cleaned_data["remove_kept"]
        if removed:
            actions.drop_draft_files(opened=opened, ids=removed)
    else:
        file_errors += [str(e) for errors in kept_form.errors.values() for e in errors]
    valid = form.is_valid()
    uploads, upload_errors = _uploads(form)
    file_errors += upload_errors
    if valid and not file_errors:
        try:
            saved = actions.save_incident_with_kept_files(
                opened=opened, content=form.content(), files=uploads, kept_ids=keeping,
                incident=incident)
        except actions.KeptFilesGone:
            file_errors.append(_("A file you chose earlier is no longer kept (after a day it is "
                                 "removed). Please choose it again; nothing else was lost."))
        except LockerFull as exc:  # past the locker's quota: nothing of it was stored
            file_errors.append(exc.message)
            full = exc.message
        else:
            return redirect("evidence:incident", incident_id=saved.pk)
    if uploads:
        try:
            keeping += [str(row.pk) for row in actions.keep_draft_files(opened=opened,
                                                                        uploads=uploads)]
        except LockerFull as exc:  # the files chosen do not fit either: none is kept
            if full:  # one message about the same file: that it was not kept either
                file_errors.remove(full)
            file_errors.append(exc.message)
    return render(request, "evidence/incident_form.html", {
        "form": form, "incident": incident, "file_errors": file_errors,
        "kept": kept_files.kept_files(opened, ids=keeping) if keeping else [],
    })


@with_locker
def new(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    """Write down a new incident."""
    return _save(request, opened, None, None)


@with_locker
def edit(request: HttpRequest, opened: OpenLocker, incident_id: uuid.UUID) -> HttpResponse:
    """Change an incident: the form starts from its latest version, and saving adds one."""
    incident = access.incident_in_locker(opened.locker, incident_id)
    view = reading.incident_view(opened, incident)
    return _save(request, opened, incident, IncidentForm.initial_from(view.content))


@with_locker
def detail(request: HttpRequest, opened: OpenLocker, incident_id: uuid.UUID) -> HttpResponse:
    """One incident with its files and every earlier version."""
    view = reading.incident_view(opened, access.incident_in_locker(opened.locker, incident_id),
                                 history=True)
    return render(request, "evidence/incident.html", {"incident": view})


@with_locker
def download(request: HttpRequest, opened: OpenLocker, file_id: uuid.UUID) -> HttpResponseBase:
    """Download one of the locker's files, exactly as it was kept, under a neutral name."""
    view = reading.file_view(opened, access.file_in_locker(opened.locker, file_id))
    response = file_response(view)
    # On the survivor's device the file gets a neutral name (safelight.downloads).
    response["Content-Disposition"] = attachment(
        neutral_name("file", name=view.name, content_type=view.content_type))
    return response

