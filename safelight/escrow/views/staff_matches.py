"""The escrow counsellor's pages: the matches waiting, and opening one to release its reports.

Only a handler named as a counsellor in their organisation's report-together settings sees
these pages; for everyone else they do not exist (404). Nothing of a held report is in clear,
so the pages show dates, counts and states; opening a match shows which reports were released
(their references and channels), and nothing of what was written.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safelight.accounts import keyring
from safelight.accounts.access import HandlerRequest, handler_required
from safelight.accounts.models import Handler
from safelight.escrow import actions
from safelight.escrow.access import (
    held_counts,
    match_for_counsellor,
    matches_for_counsellor,
    readable_among,
    sealed_elsewhere,
)
from safelight.escrow.models import MatchState
from safelight.reports.models import Report

RESOLVED_PAGE_SIZE = 25


@handler_required
def matches(request: HandlerRequest) -> HttpResponse:
    handler = request.handler
    found = matches_for_counsellor(handler)
    pending = list(found.filter(state=MatchState.PENDING).order_by("found_at", "pk"))
    resolved = Paginator(
        found.exclude(state=MatchState.PENDING).order_by("-resolved_at", "-pk"),
        RESOLVED_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    reports_held, entries_held = held_counts(handler)
    return render(request, "escrow/staff_matches.html", {
        "counsellor": True,
        "handler": handler,
        "pending": pending,
        "resolved": resolved,
        "reports_held": reports_held,
        "entries_held": entries_held,
    })


def _result(handler: Handler, opening: actions.Opening) -> dict[str, Any]:
    """The opening's reports, each with a link to the case where this counsellor may open it."""
    visible = readable_among(handler, opening.released + opening.already_released)

    def rows(items: list[Report]) -> list[dict[str, Any]]:
        return [{"report": r, "readable": r.pk in visible} for r in items]

    return {
        "released": rows(opening.released),
        "already_released": rows(opening.already_released),
        "flagged": opening.flagged,
        "unreadable": opening.unreadable,
        "unchecked": opening.unchecked,
        "no_readers": opening.no_readers,
    }


@handler_required
@require_http_methods(["GET", "POST"])
def match(request: HandlerRequest, match_id: int) -> HttpResponse:
    handler = request.handler
    found = match_for_counsellor(handler, match_id)
    result = None
    if request.method == "POST":
        opening = actions.open_match(match=found, counsellor=handler,
                                     private_key=keyring.unlocked_key(request))
        result = _result(handler, opening)
        found = match_for_counsellor(handler, match_id)
    return render(request, "escrow/staff_match.html", {
        "counsellor": True,
        "handler": handler,
        "match": found,
        "sealed_elsewhere": sealed_elsewhere(found, handler),
        "result": result,
    })
