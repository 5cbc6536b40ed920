"""The reporter's follow-up page, as every view that shows it renders it (a response helper, not a
view): the report's status, deadlines, messages and files, and what other apps add to it.

Other apps' sections (a retaliation check-in that is due, the report-together status) are
declared in settings.SAFELIGHT_FOLLOWUP_SECTIONS, dotted paths of functions that take the report
and give their part of the template's context, so that intake imports none of those apps. A view
of another app that shows the page again (with its form's errors, say) passes its own values.

The page speaks the report's language (sealed with its answers), whatever the browser's
Accept-Language says: someone may follow up from another device, a borrowed phone, a library.
Only a choice made with the site's own chooser (its cookie, safelight.language) wins over it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from safelight.intake import conversation, followup
from safelight.intake.forms import MessageForm
from safelight.reports.models import Report
from safelight.reports.sealing import open_answers

FollowupSection = Callable[[Report], dict[str, Any]]


def sections() -> list[FollowupSection]:
    return [import_string(path) for path in settings.SAFELIGHT_FOLLOWUP_SECTIONS]


def chosen_language(request: HttpRequest) -> str | None:
    """The language the person chose with the chooser on this browser, if they chose one."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def report_language(request: HttpRequest, opened: followup.OpenReport) -> str | None:
    """The language the report was written in, when it should speak it here: recorded with the
    report, and no other one chosen with the chooser. None: the request's own language stays."""
    if chosen_language(request):
        return None
    code = open_answers(opened.report_key, bytes(opened.report.answers),
                        object_id=opened.report.pk).language
    try:
        return translation.get_supported_language_variant(code) if code else None
    except LookupError:
        return None


@contextmanager
def in_report_language(request: HttpRequest, opened: followup.OpenReport) -> Iterator[str | None]:
    """Write what is written within in the report's language (see report_language); yields it."""
    code = report_language(request, opened)
    if code is None:
        yield None
        return
    with translation.override(code):
        yield code


def render_page(request: HttpRequest, opened: followup.OpenReport, *,
                form: MessageForm | None = None, file_errors: Iterable[str] = (),
                **given: Any) -> HttpResponse:
    """The follow-up page of the opened report, which stays open on this device, in the report's
    language. `given` are values of the sections' context that a view sets itself (a form with
    its errors)."""
    with in_report_language(request, opened) as code:
        response = _render(request, opened, form=form, file_errors=file_errors, **given)
    if code is not None:
        # LocaleMiddleware would name the request's language, not the page's.
        response.headers["Content-Language"] = code
    return response


def _render(request: HttpRequest, opened: followup.OpenReport, *,
            form: MessageForm | None, file_errors: Iterable[str], **given: Any) -> HttpResponse:
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
