"""Choosing the language of the pages, without JavaScript and without a trace in the address.

Every page carries a small form (templates/safelight/language_chooser.html): one button a
language, each named in its own language, posting to Django's own `set_language` view. It keeps
the choice in a session cookie (LANGUAGE_COOKIE_* in settings) and sends the browser back to the
page it came from; before anyone chooses, the browser's Accept-Language decides
(LocaleMiddleware). docs/reporting.md says why a cookie and not the address.

The form carries no CSRF token: a token would set the CSRF cookie on every page, and a reporter
who only reads gets no cookie at all. A request from another site is refused instead, as Quick
exit refuses one (Sec-Fetch-Site and Origin), so no other site can change someone's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safelight import views
from safelight.exit_views import _same_site


@dataclass(frozen=True)
class Choice:
    code: str  # as in LANGUAGES: "pt-br", "zh-hans"
    name: str  # in its own language: "Português (Brasil)"
    rtl: bool
    current: bool


def bidi(code: str) -> bool:
    return code.split("-")[0] in settings.LANGUAGES_BIDI


def choices() -> list[Choice]:
    """The languages of the chooser, in the order of LANGUAGES, the page's own marked current."""
    active = (get_language() or settings.LANGUAGE_CODE).lower()
    return [Choice(code=code, name=str(name), rtl=bidi(code), current=code.lower() == active)
            for code, name in settings.LANGUAGES]


@csrf_exempt  # checked by _same_site instead: a token would put a cookie on every page read
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    if not _same_site(request):
        return views.csrf_failure(request)
    return i18n.set_language(request)
