"""The locker: make one, open it with the passphrase, see what is in it, close, delete."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight import ratelimit
from safelight.evidence import actions, reading, session
from safelight.evidence.forms import ConfirmForm, PassphraseForm
from safelight.intake.gone import no_longer_available

GUESS_LIMIT = ratelimit.GUESS_LIMIT
GUESS_WINDOW = ratelimit.GUESS_WINDOW
LOCKERS_PER_HOUR = 5  # lockers one client may make (docs/security.md, "Limits")


def with_locker(view):
    """Run the view with the open locker, refreshing the cookie. Without one (closed, timed out,
    after Quick exit) the neutral page: Back and Forward after Quick exit show nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        opened = session.opened_locker(request)
        if opened is None:
            return no_longer_available(request)
        response = view(request, opened, *args, **kwargs)
        if not getattr(response, "closes_locker", False):
            session.keep_open(response, opened)
        return response

    return wrapper


def door(request: HttpRequest) -> HttpResponse:
    """What a locker is, and the way in: open with a passphrase, or make a new one."""
    if session.opened_locker(request) is not None and request.method == "GET":
        return redirect("evidence:home")
    form = PassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        charge = ratelimit.charge_posted_guess(request, "locker")  # atomic, several budgets
        if not charge.allowed:
            form.add_error(None, _(
                "There have been too many tries from here. For your safety, please wait an "
                "hour and try again. If you are in danger now, contact emergency services."
            ))
        else:
            opened = session.open_with_passphrase(form.cleaned_data["passphrase"])
            if opened is not None:
                charge.refund()
                response = redirect("evidence:home")
                session.keep_open(response, opened)
                return response
            form.add_error(None, _(
                "We could not open a locker with that passphrase. Check each word and try again."
            ))
    return _door(request, form)


def _door(request: HttpRequest, form: PassphraseForm, create_error: str = "") -> HttpResponse:
    return render(request, "evidence/door.html", {
        "form": form, "attempt": ratelimit.ticket_for(request), "create_error": create_error,
        "lockers_per_hour": LOCKERS_PER_HOUR,
        "quota": filesizeformat(settings.SAFELIGHT_LOCKER_QUOTA_BYTES)})


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    if not ratelimit.charge_client(request, "locker-create", limit=LOCKERS_PER_HOUR,
                                   window=GUESS_WINDOW):
        return _door(request, PassphraseForm(), create_error=_(
            "Too many lockers have been made from here in the last hour. Please wait an hour "
            "and try again, or open the locker you already have."))
    opened, passphrase = actions.create_locker()
    response = render(request, "evidence/created.html", {"passphrase": passphrase})
    session.keep_open(response, opened)
    return response


@with_locker
def home(request: HttpRequest, opened: session.OpenLocker) -> HttpResponse:
    incidents = reading.incidents(opened)
    imports = reading.imports(opened)
    return render(request, "evidence/home.html", {
        "incidents": incidents, "imports": imports,
        "log_size": opened.locker.log_size,
        "shares": opened.locker.shares.values("report_id").distinct().count(),
    })


@require_POST
def close(request: HttpRequest) -> HttpResponse:
    """Close the locker on this device: the cookie is deleted and its session ended on the
    server, so a copy of the cookie opens nothing either."""
    response = redirect("evidence:door")
    session.close(response, request=request)
    return response


@with_locker
def delete(request: HttpRequest, opened: session.OpenLocker) -> HttpResponse:
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.delete_locker(opened=opened)
        response = render(request, "evidence/deleted.html")
        session.close(response, request=request)
        response.closes_locker = True
        return response
    return render(request, "evidence/delete.html", {"form": form})
