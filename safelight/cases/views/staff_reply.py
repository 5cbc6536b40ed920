"""Replying to the reporter: from scratch, or from a reviewed template with referrals."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.accounts.access import HandlerRequest, handler_required
from safelight.cases import reply_templates
from safelight.cases.actions import send_reply
from safelight.cases.forms import ReplyForm
from safelight.cases.responses import opened_for, render_case
from safelight.intake import files
from safelight.referrals.access import services_by_ids
from safelight.reports import access as reports_access


@handler_required
@require_POST
def reply(request: HandlerRequest, report_id: UUID) -> HttpResponse:
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
    send_reply(
        report=the_report, report_key=opened.report_key, handler=request.handler,
        body=form.cleaned_data["body"].strip(), files=prepared,
        gives_feedback=form.cleaned_data["gives_feedback"],
        template=reply_templates.active_template(organisation, form.cleaned_data.get("template")),
        # The version the handler was shown, even if the template changed since.
        template_version=form.cleaned_data.get("template_version"),
        services=services_by_ids(organisation, form.service_ids()),
    )
    messages.success(request, _("Your reply was sent. The reporter sees it when they follow up."))
    return redirect("cases:report", the_report.pk)
