"""The locker: make one, open it with the passphrase, see what is in it, close, delete."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safelight import ratelimit
from safelight.evidence import access, actions, reading, session
from safelight.evidence.forms import ConfirmForm, PassphraseForm
from safelight.evidence.opened import OpenLocker
from safelight.evidence.responses import with_locker
from safelight.secret_door import SecretDoor

LOCKERS_PER_HOUR = 5  # lockers one client may make (docs/security.md, "Limits")

# The passphrase door (safelight.secret_door): the locker's budgets, the neutral failure.
LOCKER_DOOR: SecretDoor[PassphraseForm, OpenLocker] = SecretDoor(
    scope="locker", form_class=PassphraseForm, field="passphrase",
    opens=session.open_with_passphrase,
    failure=gettext_lazy(
        "We could not open a locker with that passphrase. Check each word and try again."),
)


def door(request: HttpRequest) -> HttpResponse:
    """What a locker is, and the way in: open with a passphrase, or make a new one."""
    if session.opened_locker(request) is not None and request.method == "GET":
        return redirect("evidence:home")
    attempt = LOCKER_DOOR.attempt(request)
    if attempt.opened is not None:
        response = redirect("evidence:home")
        session.keep_open(response, attempt.opened)
        return response
    return _door(request, attempt.form)


def _door(request: HttpRequest, form: PassphraseForm, create_error: str = "") -> HttpResponse:
    """The door's page: the passphrase form, and the button that makes a new locker."""
    return render(request, "evidence/door.html", {
        "form": form, "attempt": ratelimit.ticket_for(request), "create_error": create_error,
        "lockers_per_hour": LOCKERS_PER_HOUR,
        "quota": filesizeformat(settings.SAFELIGHT_LOCKER_QUOTA_BYTES)})


@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """Make a new locker and show its passphrase, once; at most LOCKERS_PER_HOUR per client."""
    if not ratelimit.charge_client(request, "locker-create", limit=LOCKERS_PER_HOUR,
                                   window=ratelimit.GUESS_WINDOW):
        return _door(request, PassphraseForm(), create_error=_(
            "Too many lockers have been made from here in the last hour. Please wait an hour "
            "and try again, or open the locker you already have."))
    opened, passphrase = actions.create_locker()
    response = render(request, "evidence/created.html", {"passphrase": passphrase})
    session.keep_open(response, opened)
    return response


@with_locker
def home(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    """The open locker: its incidents in time order, its imports, its log, how it is shared."""
    incidents = reading.incidents(opened)
    imports = reading.imports(opened)
    return render(request, "evidence/home.html", {
        "incidents": incidents, "imports": imports,
        "log_size": opened.locker.log_size,
        "shares": access.shared_report_count(opened.locker),
    })


@require_POST
def close(request: HttpRequest) -> HttpResponse:
    """Close the locker on this device: the cookie is deleted and its session ended on the
    server, so a copy of the cookie opens nothing either."""
    response = redirect("evidence:door")
    session.close(response, request=request)
    return response


@with_locker
def delete(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    """Delete the locker and everything in it, once the person has ticked that they understand;
    the locker is closed too (with_locker leaves a deleted cookie deleted)."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.delete_locker(opened=opened)
        response = render(request, "evidence/deleted.html")
        session.close(response, request=request)
        return response
    return render(request, "evidence/delete.html", {"form": form})
