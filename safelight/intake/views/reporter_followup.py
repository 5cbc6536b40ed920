"""Following up with the receipt: status, deadlines, messages and files, without an account."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safelight import ratelimit
from safelight.downloads import neutral_name
from safelight.intake import actions, conversation, files, followup
from safelight.intake.followup_page import render_page
from safelight.intake.forms import MessageForm, ReceiptForm
from safelight.intake.gone import no_longer_available
from safelight.reports import access
from safelight.reports.models import Status
from safelight.secret_door import SecretDoor

# The receipt door (safelight.secret_door): a wrong receipt is told on the form as a whole.
RECEIPT_DOOR: SecretDoor[ReceiptForm, followup.OpenReport] = SecretDoor(
    scope="receipt", form_class=ReceiptForm, field="receipt",
    opens=followup.open_with_receipt,
    failure=gettext_lazy(
        "We could not open a report with that receipt. Check the digits and try again."),
)


def enter(request: HttpRequest) -> HttpResponse:
    attempt = RECEIPT_DOOR.attempt(request)
    if attempt.opened is not None:
        response = redirect("intake:followup")
        followup.keep_open(response, attempt.opened)
        return response
    return render(request, "intake/followup_enter.html",
                  {**attempt.context(), "guess_limit": ratelimit.GUESS_LIMIT})


def report(request: HttpRequest) -> HttpResponse:
    opened = followup.opened_report(request)
    if opened is None:
        return no_longer_available(request)
    the_report = opened.report
    form = MessageForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if the_report.status == Status.HELD:
        # No one could read a message yet: the page says so and offers no form.
        return render_page(request, opened)
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
    return render_page(request, opened, form=form, file_errors=file_errors)


def download(request: HttpRequest,
             attachment_id: uuid.UUID) -> HttpResponse | StreamingHttpResponse:
    opened = followup.opened_report(request)
    if opened is None:
        return no_longer_available(request)
    attachment = access.reporter_attachment(opened.report, attachment_id)
    response = conversation.file_response(attachment, opened.report_key)
    # On the reporter's device the file gets a neutral name (safelight.downloads).
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=neutral_name("file", content_type=response["Content-Type"])
    ) or ""  # typed optional; as an attachment it always is a header
    return response


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Close the report on this device: the cookie is deleted and its session ended on the
    server, so a copy of the cookie opens nothing either."""
    response = redirect("intake:followup-enter")
    followup.close(response, request=request)
    return response

