"""Following up with the receipt: status, deadlines, messages and files, without an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight import ratelimit
from safelight.cases import actions as case_actions
from safelight.cases import checkins
from safelight.downloads import neutral_name
from safelight.intake import actions, conversation, files, followup
from safelight.intake.forms import CheckInForm, MessageForm, ReceiptForm
from safelight.intake.gone import no_longer_available
from safelight.reports import access
from safelight.reports.models import Status

GUESS_LIMIT = ratelimit.GUESS_LIMIT
GUESS_WINDOW = ratelimit.GUESS_WINDOW


def enter(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted before it is tried, atomically, under several budgets (safelight.ratelimit).
        charge = ratelimit.charge_posted_guess(request, "receipt")
        if not charge.allowed:
            form.add_error(None, _(
                "There have been too many tries from here. For your safety, please wait an "
                "hour and try again. If you are in danger now, contact emergency services."
            ))
        else:
            opened = followup.open_with_receipt(form.cleaned_data["receipt"])
            if opened is not None:
                charge.refund()
                response = redirect("intake:followup")
                followup.keep_open(response, opened)
                return response
            form.add_error(None, _(
                "We could not open a report with that receipt. Check the digits and try again."
            ))
    return render(request, "intake/followup_enter.html",
                  {"form": form, "attempt": ratelimit.ticket_for(request),
                   "guess_limit": GUESS_LIMIT})


def report(request: HttpRequest) -> HttpResponse:
    opened = followup.opened_report(request)
    if opened is None:
        return no_longer_available(request)
    the_report = opened.report
    form = MessageForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if the_report.status == Status.HELD:
        # No one could read a message yet: the page says so and offers no form.
        return _page(request, opened)
    if request.method == "POST" and form.is_valid():
        prepared, file_errors = files.prepare_for_message(
            form.cleaned_data["files"], report=the_report,
            keep_details=form.cleaned_data["keep_details"],
        )
        if not file_errors:
            actions.send_reporter_message(report=the_report, report_key=opened.report_key,
                                          body=form.cleaned_data["body"].strip(),
                                          files=prepared)
            return followup.back_to_report(opened)
        for p in prepared:
            p.drop()
    return _page(request, opened, form=form, file_errors=file_errors)


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
        return _page(request, opened, checkin_form=form)
    worse = form.cleaned_data["worse"] == "yes"
    case_actions.answer_checkin(checkin=due, report_key=opened.report_key, worse=worse,
                                note=form.cleaned_data["note"])
    if worse:
        messages.warning(request, _(
            "Thank you for telling us. Your case has been opened again and the people handling "
            "it have been alerted. They will reply here."
        ))
    else:
        messages.success(request, _("Thank you for letting us know."))
    return followup.back_to_report(opened)


def _page(request: HttpRequest, opened: followup.OpenReport, *, form=None, checkin_form=None,
          file_errors=()) -> HttpResponse:
    the_report = opened.report
    channel = the_report.channel
    due = checkins.due_checkin(the_report)
    context = {
        "organisation": channel.organisation,
        "report": the_report,
        "channel": channel,
        "form": form or MessageForm(),
        "file_errors": file_errors,
        "checkin": due,
        "checkin_form": (checkin_form or CheckInForm()) if due else None,
        "thread": conversation.thread(the_report, opened.report_key, reporter_view=True),
        "deadlines": conversation.deadlines(the_report, timezone.now()),
        "reporter_view": True,
        "together": _together(the_report),
    }
    response = render(request, "intake/followup.html", context)
    followup.keep_open(response, opened)
    return response


def _together(report) -> dict | None:
    """Whether the report is held in escrow or was matched and released (None: not escrowed)."""
    entries = report.escrow_entries.count()
    if not entries:
        return None
    return {"held": report.status == Status.HELD, "entries": entries}


def download(request: HttpRequest, attachment_id) -> HttpResponse:
    opened = followup.opened_report(request)
    if opened is None:
        return no_longer_available(request)
    attachment = access.reporter_attachment(opened.report, attachment_id)
    response = conversation.file_response(attachment, opened.report_key)
    # On the reporter's device the file gets a neutral name (safelight.downloads).
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=neutral_name("file", content_type=response["Content-Type"]))
    return response


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Close the report on this device: the cookie is deleted and its session ended on the
    server, so a copy of the cookie opens nothing either."""
    response = redirect("intake:followup-enter")
    followup.close(response, request=request)
    return response

