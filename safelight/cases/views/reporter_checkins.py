"""The reporter's answer to a retaliation check-in, on the follow-up page of the receipt
(safelight.cases.followup shows the question there)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from safelight.cases import actions as case_actions
from safelight.cases import checkins
from safelight.intake import followup
from safelight.intake.followup_page import in_report_language, render_page
from safelight.intake.forms import CheckInForm
from safelight.intake.gone import no_longer_available


@require_POST
def checkin(request: HttpRequest) -> HttpResponse:
    """The reporter's answer to a retaliation check-in; a yes reopens the case."""
    opened = followup.opened_report(request)
    if opened is None:
        return no_longer_available(request)
    due = checkins.due_checkin(opened.report)
    if due is None:
        return followup.back_to_report(opened)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return render_page(request, opened, checkin_form=form)
    worse = form.cleaned_data["worse"] == "yes"
    case_actions.answer_checkin(checkin=due, report_key=opened.report_key, worse=worse,
                                note=form.cleaned_data["note"])
    # Written now and shown on the next page: in the language that page speaks.
    with in_report_language(request, opened):
        messages.add_message(request, *checkins.answered_notice(worse=worse))
    return followup.back_to_report(opened)
