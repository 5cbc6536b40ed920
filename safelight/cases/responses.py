"""The case page as a response, shared by the staff views that show it (views/staff_case.py) and
those whose form posts to their own address (views/staff_handling.py, views/staff_reply.py): on
bad input these render the page again with their form bound, so the handler's input stays.

Not a view module: views import from here, never from one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safelight.accounts.access import HandlerRequest
from safelight.accounts.models import Handler
from safelight.cases import access, reply_templates
from safelight.cases.access import eligible_assignees
from safelight.cases.actions import view_case
from safelight.cases.forms import (
    AssignForm,
    CloseForm,
    ConflictForm,
    MeasureForm,
    MeasureStateForm,
    ReplyForm,
    StartFromTemplateForm,
    StatusForm,
)
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.cases.opening import OpenedReport, open_report
from safelight.evidence import access as evidence_access
from safelight.intake import conversation
from safelight.intake.questions import entries_in_language
from safelight.referrals.access import services_for_organisation
from safelight.referrals.models import Service
from safelight.referrals.text import referral_text
from safelight.reports import access as reports_access
from safelight.reports.models import Report, Status
from safelight.reports.sealing import REPORT, open_json
from safelight.triage import access as triage_access
from safelight.triage.forms import ChecklistForm


def opened_for(request: HandlerRequest, report: Report) -> OpenedReport:
    return open_report(request, report, reports_access.key_for_handler(request.handler, report))


def _open_note(
    opened: OpenedReport, row: Model, field: str, value: bytes | memoryview | None
) -> Any:
    if value is None:
        return None
    return open_json(opened.report_key, bytes(value), purpose=REPORT, object_id=row.pk,
                     field=field)


def risk_context(opened: OpenedReport, risk_form: ChecklistForm | None = None) -> dict[str, Any]:
    report = opened.report
    assessment = triage_access.latest_assessment(report)
    described = (triage_access.describe_assessment(assessment, opened.report_key)
                 if assessment is not None else None)
    checklist = triage_access.active_checklist(report.channel.organisation)
    if checklist is None and assessment is not None:
        checklist = assessment.checklist
    if risk_form is None and checklist is not None:
        risk_form = ChecklistForm(checklist, for_handler=True, initial={
            "checked": [item.key for item in described.checked] if described else [],
            "note": described.note if described else "",
        })
    return {"assessment": assessment, "risk_items": described.checked if described else [],
            "risk_note": described.note if described else None,
            "risk_form": risk_form, "checklist": checklist}


def prefilled_reply(
    handler: Handler, report: Report, templates: Sequence[ReplyTemplate],
    services: Sequence[Service], chosen: dict[str, Any],
) -> tuple[dict[str, Any], ReplyTemplate | None]:
    """The reply form's first text: the template rendered for this case, with the chosen
    services' details where the template says {referrals} (or at the end)."""
    chosen_services = [s for s in services if s.pk in set(chosen.get("services") or [])]
    template = next((t for t in templates if t.pk == chosen.get("template")), None)
    # The services' details in the reply's language (the template's), where they have it.
    language = template.language if template is not None else None
    referrals = "\n\n".join(referral_text(s, language) for s in chosen_services)
    if template is not None:
        body = reply_templates.render(template, report=report, handler=handler,
                                      referrals_text=referrals)
        if referrals and "{referrals}" not in template.body:
            body = f"{body.rstrip()}\n\n{referrals}"
    else:
        body = referrals
    initial = {
        "body": body,
        "template": template.pk if template else None,
        "template_version": template.version if template else None,
        "services": ",".join(str(s.pk) for s in chosen_services),
        "gives_feedback": reply_templates.gives_feedback(template),
    }
    return initial, template


def close_form_for(handler: Handler, report: Report) -> CloseForm:
    """The closing form, its message prefilled from the organisation's outcome template."""
    template = reply_templates.templates_for(
        report.channel.organisation, kind=TemplateKind.OUTCOME
    ).first()
    if template is None:
        return CloseForm()
    return CloseForm(initial={
        "message": reply_templates.render(template, report=report, handler=handler),
        "template": template.pk,
        "template_version": template.version,
    })


def reply_context(
    request: HandlerRequest, opened: OpenedReport, reply_form: ReplyForm | None = None
) -> dict[str, Any]:
    organisation = opened.report.channel.organisation
    templates = list(reply_templates.templates_for(organisation))
    services = list(services_for_organisation(organisation))
    start_form = StartFromTemplateForm(request.GET or None, templates=templates,
                                       services=services, language=opened.language)
    chosen_template = None
    if reply_form is None:
        initial: dict[str, Any] = {}
        if start_form.is_bound and start_form.is_valid():
            initial, chosen_template = prefilled_reply(
                request.handler, opened.report, templates, services, start_form.cleaned_data
            )
        reply_form = ReplyForm(initial=initial)
    else:
        template_id = reply_form.data.get("template")
        chosen_template = next((t for t in templates if str(t.pk) == template_id), None)
    return {
        "start_form": start_form, "reply_form": reply_form, "templates": templates,
        "chosen_template": chosen_template,
        "chosen_review": reply_templates.review_status(chosen_template)
        if chosen_template else None,
    }


def render_case(request: HandlerRequest, report: Report, *, status: int = 200,
                **forms: Any) -> HttpResponse:
    opened = opened_for(request, report)
    handler = request.handler
    # Counted before the opening is recorded: what is new to the handler on this page.
    unread = access.unread_count(handler, report)
    view_case(report=report, handler=handler)
    may_assign = access.may_assign(handler, report)
    measures = [
        {"measure": m, "note": _open_note(opened, m, "measure-note", m.note),
         "form": MeasureStateForm(initial={"state": m.state}, prefix=str(m.pk))}
        for m in report.measures.all()
    ]
    outcome = getattr(report, "outcome", None) if report.status == Status.CLOSED else None
    checkins = [
        {"checkin": c, "answer": _open_note(opened, c, "checkin", c.answer)}
        for c in access.checkins_of(report)
    ]
    identity = opened.identity()
    context = {
        "handler": handler,
        "report": report,
        "channel": report.channel,
        "organisation": report.channel.organisation,
        "role": access.role_in_channel(handler, report),
        "reporter_language": opened.answers().language,
        # The questions' words in the handler's language (answers store choices' codes).
        "answers": entries_in_language(list(opened.answers()), report.channel),
        "identity": identity if identity is None else entries_in_language(
            list(identity), report.channel),
        "identity_hidden": report.identity is not None and opened.identity_key is None,
        "files": conversation.report_files(report, opened.report_key),
        "thread": conversation.thread(report, opened.report_key, reporter_view=False),
        "deadlines": conversation.deadlines(report, timezone.now()),
        "status_form": StatusForm(report=report),
        "may_assign": may_assign,
        "assign_form": forms.get("assign_form") or (
            AssignForm(recipients=eligible_assignees(opened),
                       initial={"assignee": report.assignee_id}) if may_assign else None
        ),
        "conflict_form": forms.get("conflict_form") or ConflictForm(),
        "measures": measures,
        "measure_form": forms.get("measure_form") or MeasureForm(),
        "close_form": forms.get("close_form") or (
            close_form_for(handler, report) if outcome is None else None
        ),
        "unread": unread,
        "outcome": outcome,
        "outcome_reason": _open_note(opened, outcome, "outcome-reason", outcome.reason)
        if outcome else None,
        "no_message_reason": _open_note(opened, outcome, "outcome-no-message",
                                        outcome.no_message_reason) if outcome else None,
        "checkins": checkins,
        "shared_lockers": evidence_access.lockers_for_report(handler, report),
        "file_errors": forms.get("file_errors", ()),
        "reporter_view": False,
        **risk_context(opened, forms.get("risk_form")),
        **reply_context(request, opened, forms.get("reply_form")),
    }
    return render(request, "cases/report.html", context, status=status)
