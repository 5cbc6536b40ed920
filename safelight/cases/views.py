"""The handler's inbox and report page: read, download, reply, move the status on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.accounts.access import handler_required
from safelight.audit.actions import record
from safelight.cases import access
from safelight.cases.forms import ReplyForm, StatusForm
from safelight.cases.opening import open_report
from safelight.intake import actions, conversation, files
from safelight.intake.models import Status

STATUS_FILTERS = [("open", _("Open")), *Status.choices, ("all", _("All"))]


@handler_required
def inbox(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("status", "open")
    reports = access.reports_for_handler(request.handler)
    if shown == "open":
        reports = reports.exclude(status=Status.CLOSED)
    elif shown in Status.values:
        reports = reports.filter(status=shown)
    now = timezone.now()
    rows = [{"report": r, "deadlines": conversation.deadlines(r, now)} for r in reports]
    return render(request, "cases/inbox.html", {
        "handler": request.handler, "rows": rows, "shown": shown,
        "filters": [(value, str(label)) for value, label in STATUS_FILTERS],
    })


def _page(request: HttpRequest, report, *, reply_form=None, file_errors=()) -> HttpResponse:
    key = access.key_for_handler(request.handler, report)
    opened = open_report(request, report, key)
    record(action="report.view", actor=request.user, organisation=report.channel.organisation,
           target=report)
    return render(request, "cases/report.html", {
        "handler": request.handler,
        "report": report,
        "channel": report.channel,
        "organisation": report.channel.organisation,
        "answers": opened.answers(),
        "identity": opened.identity(),
        "identity_hidden": report.identity is not None and opened.identity_key is None,
        "files": conversation.report_files(report, opened.report_key),
        "thread": conversation.thread(report, opened.report_key, reporter_view=False),
        "deadlines": conversation.deadlines(report, timezone.now()),
        "reply_form": reply_form or ReplyForm(),
        "status_form": StatusForm(report=report),
        "file_errors": file_errors,
        "reporter_view": False,
    })


@handler_required
def report(request: HttpRequest, report_id) -> HttpResponse:
    return _page(request, access.report_for_handler(request.handler, report_id))


@handler_required
@require_POST
def reply(request: HttpRequest, report_id) -> HttpResponse:
    the_report = access.report_for_handler(request.handler, report_id)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, the_report, reply_form=form)
    opened = open_report(request, the_report, access.key_for_handler(request.handler, the_report))
    prepared, errors = files.prepare_for_message(
        form.cleaned_data["files"], report=the_report,
        keep_details=form.cleaned_data["keep_details"],
    )
    if errors:
        for item in prepared:
            item.drop()
        return _page(request, the_report, reply_form=form, file_errors=errors)
    actions.send_message(report=the_report, report_key=opened.report_key,
                         body=form.cleaned_data["body"].strip(), files=prepared,
                         author=request.handler)
    messages.success(request, _("Your reply was sent. The reporter sees it when they follow up."))
    return redirect("cases:report", the_report.pk)


@handler_required
@require_POST
def status(request: HttpRequest, report_id) -> HttpResponse:
    the_report = access.report_for_handler(request.handler, report_id)
    form = StatusForm(request.POST, report=the_report)
    if form.is_valid():
        actions.change_status(report=the_report, handler=request.handler,
                              status=form.cleaned_data["status"])
        messages.success(request, _("Status changed to “%(status)s”.")
                         % {"status": the_report.get_status_display()})
    else:
        messages.error(request, _("That status change is not possible from here."))
    return redirect("cases:report", the_report.pk)


@handler_required
def download(request: HttpRequest, report_id, attachment_id) -> HttpResponse:
    attachment = access.attachment_for_handler(request.handler, report_id, attachment_id)
    the_report = attachment.report
    opened = open_report(request, the_report, access.key_for_handler(request.handler, the_report))
    record(action="report.file.download", actor=request.user,
           organisation=the_report.channel.organisation, target=attachment)
    return conversation.file_response(attachment, opened.report_key)
