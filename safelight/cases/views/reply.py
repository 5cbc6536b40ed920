"""Replying to the reporter: from scratch, or from a reviewed template with referrals."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.accounts.access import handler_required
from safelight.cases import reply_templates
from safelight.cases.forms import ReplyForm
from safelight.cases.views.case_page import opened_for, render_case
from safelight.intake import files
from safelight.referrals.access import services_by_ids
from safelight.referrals.actions import record_referrals
from safelight.reports import access as reports_access
from safelight.reports import actions


@handler_required
@require_POST
def reply(request: HttpRequest, report_id) -> HttpResponse:
    the_report = reports_access.report_for_handler(request.handler, report_id)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_case(request, the_report, reply_form=form)
    opened = opened_for(request, the_report)
    prepared, errors = files.prepare_for_message(
        form.cleaned_data["files"], report=the_report,
        keep_details=form.cleaned_data["keep_details"],
    )
    if errors:
        for item in prepared:
            item.drop()
        return render_case(request, the_report, reply_form=form, file_errors=errors)
    organisation = the_report.channel.organisation
    template = None
    if form.cleaned_data.get("template"):
        template = reply_templates.templates_for(organisation).filter(
            pk=form.cleaned_data["template"]).first()
    services = services_by_ids(organisation, form.service_ids())
    with transaction.atomic():
        message = actions.send_message(
            report=the_report, report_key=opened.report_key,
            body=form.cleaned_data["body"].strip(), files=prepared, author=request.handler,
            gives_feedback=form.cleaned_data["gives_feedback"]
            or reply_templates.gives_feedback(template),
        )
        if template is not None:
            # The version the handler was shown, even if the template changed since.
            version = form.cleaned_data.get("template_version")
            if not template.revisions.filter(version=version).exists():
                version = None  # none shown (or a made-up one): the current version
            reply_templates.record_template_use(message=message, template=template,
                                                version=version)
        if services:
            record_referrals(message=message, services=services)
    messages.success(request, _("Your reply was sent. The reporter sees it when they follow up."))
    return redirect("cases:report", the_report.pk)
