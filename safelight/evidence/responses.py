"""What the locker's view modules share, so that no view module imports another.

`with_locker` runs a survivor's page with the open locker; `file_response` and `bundle_response`
stream a file or a signed bundle; `render_messages`, `categories` and `category_of` show an
import's messages. The survivor's pages (safelight.evidence.views.survivor_*) and the handler's
(safelight.evidence.views.staff_shared_lockers) both use them. None of them is a view: no URL
names one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from safelight.accounts.models import Organisation
from safelight.downloads import attachment, neutral_name
from safelight.evidence import actions, custody, export, reading, session, streaming
from safelight.evidence.bundle import write_bundle
from safelight.evidence.bundle_content import CATEGORIES
from safelight.evidence.bundle_pdf import render_pdf
from safelight.evidence.importing import place
from safelight.evidence.models import MessageImport
from safelight.evidence.opened import OpenLocker
from safelight.intake.gone import no_longer_available
from safelight.triage.severity import category_labels

P = ParamSpec("P")
PER_PAGE = 100  # messages on a page of an import


def with_locker(
    view: Callable[Concatenate[HttpRequest, OpenLocker, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Run the view with the open locker, refreshing the cookie. Without one (closed, timed out,
    after Quick exit) the neutral page: Back and Forward after Quick exit show nothing. A view
    that closed the locker (its cookie deleted on the response) is left so."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        opened = session.opened_locker(request)
        if opened is None:
            return no_longer_available(request)
        response = view(request, opened, *args, **kwargs)
        if session.COOKIE not in response.cookies:
            session.keep_open(response, opened)
        return response

    return wrapper


def file_response(view: reading.FileView) -> StreamingHttpResponse:
    """A locker's file, decrypted as it streams, as a download under its own name."""
    response = StreamingHttpResponse(view.chunks(), content_type="application/octet-stream")
    response["Content-Disposition"] = attachment(view.name or "file")
    response["Content-Length"] = str(view.size)
    return response


def bundle_response(opened: OpenLocker, *, incident_ids: Iterable[str],
                    import_choices: dict[str, str], actor: User | None = None,
                    organisation: Organisation | None = None) -> StreamingHttpResponse:
    """The signed bundle of the chosen incidents and messages, streamed as a ZIP under a neutral
    name; its export is audited (by the survivor: no actor; or by the handler named)."""
    key = custody.signing_key()
    content = export.build(opened, incident_ids=incident_ids, import_choices=import_choices,
                           signing_public_key=key.verify_key().to_bytes()[-32:])
    pdf = render_pdf(content.pdf)
    actions.export_bundle(locker=opened.locker, actor=actor, organisation=organisation)
    response = StreamingHttpResponse(
        streaming.stream(lambda dst: write_bundle(dst, content, signing_key=key, pdf=pdf)),
        content_type="application/zip")
    # A neutral name: the browser keeps it in its downloads list (safelight.downloads).
    name = neutral_name("export", content_type="application/zip")
    response["Content-Disposition"] = attachment(name)
    return response


def categories(view: reading.ImportView) -> list[dict[str, Any]]:
    """An import's categories with their counts, each under its number (`?group=N`)."""
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


def render_messages(request: HttpRequest, opened: OpenLocker, row: MessageImport, *,
                    warning: str, listing: str, context: dict[str, Any]) -> HttpResponse:
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
        record["ref"] = place(record.get("ref", ""))  # "line 12" in the reader's language
    return render(request, listing, {
        **context, "item": view, "category": category, "group": group,
        "label": labels.get(category, ""),
        "page": page, "records": records, "hide_flagged": not category})
