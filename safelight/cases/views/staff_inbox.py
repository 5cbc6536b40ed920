"""The inbox: the handler's cases, urgent first, filtered and paginated.

One query for the page and one for the count, whatever the filters (safelight.cases.access:
inbox_reports).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from safelight.accounts.access import HandlerRequest, handler_required
from safelight.cases import access
from safelight.intake import conversation
from safelight.reports.models import Priority, Report, Status

PAGE_SIZE = 25

STATUS_FILTERS = [("open", _("Open")), *Status.choices, ("all", _("All"))]
DUE_FILTERS = [("", _("Any deadline")), ("overdue", _("Overdue")), ("soon", _("Due within 2 days"))]
PRIORITY_FILTERS = [("", _("Any priority")), *Priority.choices]
ASSIGNED_FILTERS = [("", _("Anyone")), ("me", _("Assigned to me")), ("nobody", _("Unassigned"))]
UNREAD_FILTERS = [("", _("Any")), ("yes", _("With unread messages"))]
FILTERS = [
    ("status", _("Status"), STATUS_FILTERS),
    ("due", _("Deadline"), DUE_FILTERS),
    ("priority", _("Priority"), PRIORITY_FILTERS),
    ("assigned", _("Assigned to"), ASSIGNED_FILTERS),
    ("unread", _("Messages from the reporter"), UNREAD_FILTERS),
]


def _choice(
    request: HttpRequest, name: str, options: Sequence[tuple[str, Any]], default: str = ""
) -> str:
    value = request.GET.get(name, default)
    return value if value in {v for v, _label in options} else default


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP + 1 cases: past a thousand, "1,000+" says enough, and counting every
    open case of a large organisation on each page view would cost more than the page itself."""

    def __init__(self, reports: QuerySet[Report], per_page: int) -> None:
        super().__init__(reports, per_page)
        self.reports = reports

    @cached_property
    def count(self) -> int:
        return self.reports.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@handler_required
def inbox(request: HandlerRequest) -> HttpResponse:
    now = timezone.now()
    chosen = {
        "status": _choice(request, "status", STATUS_FILTERS, "open"),
        "due": _choice(request, "due", DUE_FILTERS),
        "priority": _choice(request, "priority", PRIORITY_FILTERS),
        "assigned": _choice(request, "assigned", ASSIGNED_FILTERS),
        "unread": _choice(request, "unread", UNREAD_FILTERS),
    }
    reports = access.inbox_reports(request.handler, now=now, **chosen)
    page = CappedPaginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"report": r, "deadlines": conversation.deadlines(r, now)} for r in page]
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(request, "cases/inbox.html", {
        "handler": request.handler, "rows": rows, "page": page, "chosen": chosen,
        "query": query,
        "filters": [
            {"name": name, "label": str(label), "options": [
                (value, str(option), value == chosen[name]) for value, option in options
            ]}
            for name, label, options in FILTERS
        ],
    })
