"""Imported messages: upload an export, see the counts first, open a category only by choice."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from safelight.evidence import access, reading
from safelight.evidence.bundle_content import CATEGORIES
from safelight.evidence.forms import ImportForm
from safelight.evidence.import_actions import import_messages
from safelight.evidence.importing import MAX_IMPORT_BYTES, ImportRejected
from safelight.evidence.models import MessageImport
from safelight.evidence.quota import locker_usage
from safelight.evidence.session import OpenLocker
from safelight.evidence.views import with_locker
from safelight.triage.severity import category_labels

PER_PAGE = 100


def import_row(opened: OpenLocker, import_id) -> MessageImport:
    return access.import_in_locker(opened.locker, import_id)


@with_locker
def new(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
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


def categories(view: reading.ImportView) -> list[dict]:
    labels = category_labels()
    return [{"key": c, "label": labels[c], "count": view.counts.get(c, 0), "group": group}
            for group, c in enumerate(CATEGORIES, start=1)]


def category_of(group: str) -> str:
    """The category that `?group=N` names. Addresses carry a number, never the category's
    name ("threat", "sexual"): browsers keep addresses in their history."""
    if not group:
        return ""
    if not group.isdigit() or not 1 <= int(group) <= len(CATEGORIES):
        raise Http404
    return CATEGORIES[int(group) - 1]


@with_locker
def detail(request: HttpRequest, opened: OpenLocker, import_id) -> HttpResponse:
    view = reading.import_view(opened, import_row(opened, import_id))
    return render(request, "evidence/import.html", {
        "item": view, "categories": categories(view)})


@with_locker
def messages(request: HttpRequest, opened: OpenLocker, import_id) -> HttpResponse:
    return render_messages(request, opened, import_row(opened, import_id),
                           warning="evidence/content_warning.html",
                           listing="evidence/messages.html", context={})


def render_messages(request: HttpRequest, opened: OpenLocker, row: MessageImport, *,
                    warning: str, listing: str, context: dict) -> HttpResponse:
    """One category's flagged messages (after a content warning), or every message with the
    flagged ones folded: the survivor's pages and the handler's."""
    group = request.GET.get("group", "")
    category = category_of(group)
    view = reading.import_view(opened, row)
    labels = category_labels()
    numbers = view.summary["flagged"][category] if category else range(view.messages)
    if category and request.GET.get("show") != "1":
        return render(request, warning, {
            **context, "item": view, "category": category, "group": group,
            "label": labels[category], "count": len(numbers)})
    page = Paginator(numbers, PER_PAGE).get_page(request.GET.get("page"))
    records = reading.messages(opened, row, list(page.object_list))
    for record in records:
        record["labels"] = [labels[c] for c in record.get("f", [])]
    return render(request, listing, {
        **context, "item": view, "category": category, "group": group,
        "label": labels.get(category, ""),
        "page": page, "records": records, "hide_flagged": not category})
