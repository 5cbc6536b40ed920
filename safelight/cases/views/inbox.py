"""The inbox: the handler's cases, urgent first, filtered and paginated.

One query for the page and one for the count, whatever the filters: every row's columns are
fields of the report or its select_related channel and assignee, plus a subquery counting the
reporter's messages the handler has not read (sent after they last opened the case).
"""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from safelight.accounts.access import handler_required
from safelight.cases import access
from safelight.intake import conversation
from safelight.reports import access as reports_access
from safelight.reports.models import Priority, Status

PAGE_SIZE = 25
SOON = datetime.timedelta(days=2)

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


def _choice(request: HttpRequest, name: str, options, default: str = "") -> str:
    value = request.GET.get(name, default)
    return value if value in {v for v, _label in options} else default


def filtered_reports(handler, *, status: str, due: str, priority: str, assigned: str, now,
                     unread: str = ""):
    reports = reports_access.reports_for_handler(handler).annotate(
        unread=access.unread_count_expression(handler)
    )
    if unread == "yes":
        reports = reports.filter(unread__gt=0)
    if status == "open":
        reports = reports.exclude(status=Status.CLOSED)
    elif status in Status.values:
        reports = reports.filter(status=status)
    if due == "overdue":
        reports = reports.filter(next_deadline__lt=now)
    elif due == "soon":
        reports = reports.filter(next_deadline__lt=now + SOON)
    if priority:
        reports = reports.filter(priority=priority)
    if assigned == "me":
        reports = reports.filter(assignee=handler)
    elif assigned == "nobody":
        reports = reports.filter(assignee__isnull=True)
    order = ("next_deadline",) if due else ("priority_rank", "-submitted_at")
    return reports.order_by(*order, "pk").select_related(None).select_related(
        "channel", "assignee__user"
    ).only(*INBOX_COLUMNS)


# What a row shows: the ciphertexts stay out of the query, so the page sorts narrow rows.
INBOX_COLUMNS = (
    "id", "channel__name", "status", "priority", "priority_rank", "submitted_at",
    "acknowledge_by", "acknowledged_at", "feedback_by", "feedback_at", "next_deadline",
    "assignee__user__first_name", "assignee__user__last_name", "assignee__user__username",
)
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP + 1 cases: past a thousand, "1,000+" says enough, and counting every
    open case of a large organisation on each page view would cost more than the page itself."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@handler_required
def inbox(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    chosen = {
        "status": _choice(request, "status", STATUS_FILTERS, "open"),
        "due": _choice(request, "due", DUE_FILTERS),
        "priority": _choice(request, "priority", PRIORITY_FILTERS),
        "assigned": _choice(request, "assigned", ASSIGNED_FILTERS),
        "unread": _choice(request, "unread", UNREAD_FILTERS),
    }
    reports = filtered_reports(request.handler, now=now, **chosen)
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
