"""Quick exit's address: end every reporter-side session of this browser, then leave.

The Quick exit control on every reporter page points here (JavaScript sends the same request as a
beacon and leaves at once; without it, the link itself comes here). One request ends it all:
the draft is discarded with its files, the receipt's follow-up and the evidence locker are
ended on the server (a copy of their cookies opens nothing after), the cookies are deleted (the
chosen language's too), and the browser is sent to the organisation's neutral page.

It lives at the project level because it ends sessions of two apps (intake and evidence).
"""

from __future__ import annotations

from typing import Literal, cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safelight.evidence import session as locker_session
from safelight.intake import drafts, followup, reporter_sessions, session_actions

# Every cookie the reporter side sets. All are session cookies; Quick exit deletes them all.
SameSite = Literal["Lax", "Strict", "None", False] | None

REPORTER_COOKIES = (drafts.COOKIE, followup.COOKIE, locker_session.COOKIE)
# What the browser keeps for this site besides cookies: its cache (the pages are no-store, but
# to be sure) and any storage. Not "cookies": that would end every site of the registrable
# domain; the reporter side's own cookies are deleted by name instead.
CLEAR_SITE_DATA = '"cache", "storage"'


class ExitForm(forms.Form):
    # An organisation's id: whose neutral page to go to. Nothing else is read from the address.
    o = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    via = forms.CharField(required=False, max_length=10)


def _same_site(request: HttpRequest) -> bool:
    """Whether this request came from this site (or the person typed the address). A foreign
    page must not be able to end anyone's sessions or discard a draft."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if parts.netloc != request.get_host() or parts.scheme != request.scheme:
            return False
    return True


@csrf_exempt  # checked by _same_site; a beacon sent while the page goes away carries no token
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    form = ExitForm(request.GET if request.method == "GET" else {**request.GET.dict(),
                                                                 **request.POST.dict()})
    organisation_id = form.cleaned_data["o"] if form.is_valid() else None
    beacon = form.is_valid() and form.cleaned_data["via"] == "beacon"
    if not _same_site(request):
        return _leave(reporter_sessions.exit_url(organisation_id=organisation_id), beacon=False,
                      ended=False)
    draft_id = drafts.draft_id(request)
    if organisation_id is None:
        opened = followup.opened_report(request)
        if opened is not None:
            organisation_id = opened.report.channel.organisation_id
    url = reporter_sessions.exit_url(organisation_id=organisation_id, draft_id=draft_id)
    session_ids = [sid for sid in (followup.session_id(request),
                                   locker_session.session_id(request)) if sid]
    session_actions.quick_exit(draft_id=draft_id, session_ids=session_ids)
    return _leave(url, beacon=beacon, ended=True)


def _leave(url: str, *, beacon: bool, ended: bool) -> HttpResponse:
    # The beacon's answer is read by no one: no redirect, so nothing is fetched from elsewhere.
    response = HttpResponse(status=204) if beacon else HttpResponseRedirect(url)
    if ended:
        for name in REPORTER_COOKIES:
            response.delete_cookie(name, path="/", samesite="Strict")
        response.delete_cookie(settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH,
                               domain=settings.CSRF_COOKIE_DOMAIN,
                               samesite=_samesite(settings.CSRF_COOKIE_SAMESITE))
        # The language chosen on this device, if any: the next person finds the browser's own.
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                               domain=settings.LANGUAGE_COOKIE_DOMAIN,
                               samesite=_samesite(settings.LANGUAGE_COOKIE_SAMESITE))
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def _samesite(value: object) -> SameSite:
    """A SameSite setting as delete_cookie takes it (settings are typed as plain strings)."""
    return cast(SameSite, value)
