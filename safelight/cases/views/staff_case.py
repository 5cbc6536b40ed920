"""The case page: what the reporter told us and everything done about it, on one page.

Every form of the page posts to its own view (views/staff_handling.py, views/staff_reply.py); on
bad input that view renders this page again with its form bound (safelight.cases.responses), so
the handler's input stays.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.http.response import HttpResponseBase

from safelight.accounts.access import HandlerRequest, handler_required
from safelight.cases.actions import download_attachment
from safelight.cases.responses import opened_for, render_case
from safelight.intake import conversation
from safelight.reports import access as reports_access


@handler_required
def report(request: HandlerRequest, report_id: UUID) -> HttpResponse:
    return render_case(request, reports_access.report_for_handler(request.handler, report_id))


@handler_required
def download(request: HandlerRequest, report_id: UUID, attachment_id: UUID) -> HttpResponseBase:
    attachment = reports_access.attachment_for_handler(request.handler, report_id, attachment_id)
    the_report = attachment.report
    opened = opened_for(request, the_report)
    download_attachment(attachment=attachment, actor=request.user)
    return conversation.file_response(attachment, opened.report_key)
