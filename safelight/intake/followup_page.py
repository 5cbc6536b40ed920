"""The reporter's follow-up page, as every view that shows it renders it (a response helper, not a
view): the report's status, deadlines, messages and files, and what other apps add to it.

Other apps' sections (a retaliation check-in that is due, the report-together status) are
declared in settings.SAFELIGHT_FOLLOWUP_SECTIONS, dotted paths of functions that take the report
and give their part of the template's context, so that intake imports none of those apps. A view
of another app that shows the page again (with its form's errors, say) passes its own values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

from safelight.intake import conversation, followup
from safelight.intake.forms import MessageForm
from safelight.reports.models import Report

FollowupSection = Callable[[Report], dict[str, Any]]


def sections() -> list[FollowupSection]:
    return [import_string(path) for path in settings.SAFELIGHT_FOLLOWUP_SECTIONS]


def render_page(request: HttpRequest, opened: followup.OpenReport, *,
                form: MessageForm | None = None, file_errors: Iterable[str] = (),
                **given: Any) -> HttpResponse:
    """The follow-up page of the opened report, which stays open on this device. `given` are
    values of the sections' context that a view sets itself (a form with its errors)."""
    the_report = opened.report
    channel = the_report.channel
    context: dict[str, Any] = {
        "organisation": channel.organisation,
        "report": the_report,
        "channel": channel,
        "form": form or MessageForm(),
        "file_errors": file_errors,
    }
    for section in sections():
        context |= section(the_report)
    context |= {
        "thread": conversation.thread(the_report, opened.report_key, reporter_view=True),
        "deadlines": conversation.deadlines(the_report, timezone.now()),
        "reporter_view": True,
        **given,
    }
    response = render(request, "intake/followup.html", context)
    followup.keep_open(response, opened)
    return response
