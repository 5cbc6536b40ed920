"""Imported messages: upload an export, see the counts first, open a category only by choice."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from safelight.evidence import access, reading
from safelight.evidence.forms import ImportForm
from safelight.evidence.import_actions import import_messages
from safelight.evidence.importing import MAX_IMPORT_BYTES, ImportRejected
from safelight.evidence.opened import OpenLocker
from safelight.evidence.quota import locker_usage
from safelight.evidence.responses import categories, render_messages, with_locker


@with_locker
def new(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    """Upload an export and import it; a refusal says plainly why, and nothing is kept."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["export"]
        if getattr(upload, "storage_failed", False):
            form.add_error("export", _("Your file could not be stored. Please try again."))
        elif getattr(upload, "too_large", False):
            form.add_error("export", _("This file is too large to import here."))
        else:
            try:
                row = import_messages(opened=opened, upload=upload)
            except ImportRejected as exc:
                form.add_error("export", exc.message)
            else:
                return redirect("evidence:import", import_id=row.pk)
    quota = settings.SAFELIGHT_LOCKER_QUOTA_BYTES
    return render(request, "evidence/import_form.html", {
        "form": form, "import_limit": filesizeformat(MAX_IMPORT_BYTES),
        "quota": filesizeformat(quota),
        "room": filesizeformat(max(quota - locker_usage(opened.locker), 0))})


@with_locker
def detail(request: HttpRequest, opened: OpenLocker, import_id: uuid.UUID) -> HttpResponse:
    """An import: what it held and how many messages of each category, nothing of them yet."""
    view = reading.import_view(opened, access.import_in_locker(opened.locker, import_id))
    return render(request, "evidence/import.html", {
        "item": view, "categories": categories(view)})


@with_locker
def messages(request: HttpRequest, opened: OpenLocker, import_id: uuid.UUID) -> HttpResponse:
    """An import's messages: one category behind a content warning, or all of them."""
    return render_messages(request, opened, access.import_in_locker(opened.locker, import_id),
                           warning="evidence/content_warning.html",
                           listing="evidence/messages.html", context={})
