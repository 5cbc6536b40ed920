"""The case page's forms: status, assignment, conflicts, risk, support measures, closing."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.accounts.access import HandlerRequest, handler_required
from safelight.cases import access, reply_templates
from safelight.cases import actions as case_actions
from safelight.cases.actions import NotAllowed
from safelight.cases.forms import (
    AssignForm,
    CloseForm,
    ConflictForm,
    MeasureForm,
    MeasureStateForm,
    StatusForm,
)
from safelight.cases.responses import opened_for, render_case
from safelight.reports import access as reports_access
from safelight.reports import actions
from safelight.reports.models import Report
from safelight.triage import access as triage_access
from safelight.triage.actions import record_assessment
from safelight.triage.forms import ChecklistForm


def _back(report: Report) -> HttpResponse:
    return redirect("cases:report", report.pk)


@handler_required
@require_POST
def status(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    form = StatusForm(request.POST, report=the_report)
    if form.is_valid():
        actions.change_status(report=the_report, handler=request.handler,
                              status=form.cleaned_data["status"])
        messages.success(request, _("Status changed to “%(status)s”.")
                         % {"status": the_report.get_status_display()})
    else:
        messages.error(request, _("That status change is not possible from here."))
    return _back(the_report)


@handler_required
@require_POST
def reopen(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    try:
        case_actions.reopen_case(report=the_report, handler=request.handler)
    except NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The case is open again. Its pending check-ins were "
                                    "cancelled; closing it again schedules new ones."))
    return _back(the_report)


@handler_required
@require_POST
def assign(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    opened = opened_for(request, the_report)
    recipients = access.eligible_assignees(opened)
    form = AssignForm(request.POST, recipients=recipients)
    if not access.may_assign(request.handler, the_report):
        messages.error(request, _("Only the channel's intake coordinators assign cases."))
        return _back(the_report)
    if not form.is_valid():
        return render_case(request, the_report, assign_form=form, status=400)
    assignee_id = form.cleaned_data["assignee"]
    # The form accepts only the eligible assignees' ids: the handler is one of them.
    assignee = next((r.handler for r in recipients if r.handler_id == assignee_id), None)
    try:
        case_actions.assign_case(opened=opened, assignee=assignee, by=request.handler)
    except NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        if assignee is None:
            messages.success(request, _("The case is now unassigned."))
        else:
            messages.success(request, _("The case is assigned to %(name)s.") % {
                "name": assignee.user.get_full_name() or assignee.user.get_username()})
    return _back(the_report)


@handler_required
@require_POST
def conflict(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return render_case(request, the_report, conflict_form=form, status=400)
    case_actions.declare_conflict(report=the_report, handler=request.handler)
    messages.success(request, _("Thank you for saying so. The case has been taken away from you "
                                "and will not be shown to you again."))
    return redirect("cases:inbox")


@handler_required
@require_POST
def risk(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    checklist = triage_access.active_checklist(the_report.channel.organisation)
    if checklist is None:
        messages.error(request, _("Your organisation has no risk checklist yet."))
        return _back(the_report)
    form = ChecklistForm(checklist, for_handler=True, data=request.POST)
    if not form.is_valid():
        return render_case(request, the_report, risk_form=form, status=400)
    opened = opened_for(request, the_report)
    assessment = record_assessment(
        report=the_report, report_key=opened.report_key, checklist=checklist,
        checked=form.cleaned_data["checked"], note=form.cleaned_data.get("note", ""),
        handler=request.handler,
    )
    messages.success(request, _("Risk assessment saved: priority “%(priority)s”.") % {
        "priority": assessment.get_priority_display()})
    return _back(the_report)


@handler_required
@require_POST
def add_measure(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return render_case(request, the_report, measure_form=form, status=400)
    opened = opened_for(request, the_report)
    case_actions.record_measure(report=the_report, report_key=opened.report_key,
                                handler=request.handler, **form.cleaned_data)
    messages.success(request, _("Support measure recorded."))
    return _back(the_report)


@handler_required
@require_POST
def update_measure(request: HandlerRequest, report_id: UUID, measure_id: UUID) -> HttpResponse:
    measure = access.measure_for_handler(request.handler, report_id, measure_id)
    form = MeasureStateForm(request.POST, prefix=str(measure.pk))
    if form.is_valid():
        case_actions.update_measure(measure=measure, handler=request.handler,
                                    state=form.cleaned_data["state"])
        messages.success(request, _("Support measure updated."))
    else:
        messages.error(request, _("Choose one of the listed states."))
    return _back(measure.report)


@handler_required
@require_POST
def close(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return render_case(request, the_report, close_form=form, status=400)
    opened = opened_for(request, the_report)
    arguments = form.action_arguments()
    template = None
    if arguments["message"]:
        template = reply_templates.active_template(the_report.channel.organisation,
                                                   form.cleaned_data.get("template"))
    try:
        case_actions.close_case(report=the_report, report_key=opened.report_key,
                                handler=request.handler, template=template,
                                template_version=form.cleaned_data.get("template_version"),
                                **arguments)
    except NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        if arguments["message"]:
            messages.success(request, _("The case is closed and your message was sent. The "
                                        "reporter will be asked at the scheduled check-ins "
                                        "whether anyone has treated them worse."))
        else:
            messages.success(request, _("The case is closed without a message to the reporter. "
                                        "They will be asked at the scheduled check-ins whether "
                                        "anyone has treated them worse."))
    return _back(the_report)
