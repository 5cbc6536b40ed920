"""The staff side's front door: sign in with password and TOTP, set up the app, sign out."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from safelight import ratelimit
from safelight.accounts import actions, keyring, throttle
from safelight.accounts.access import (
    confirmed_authenticator,
    handler_by_username,
    handler_of,
    pending_reset,
)
from safelight.accounts.admin_scoping import is_operator
from safelight.accounts.forms import AuthenticatorForm, SignInForm


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        admission = throttle.admit(ratelimit.client_token(request), data["username"])
        if admission.too_many:
            form.add_error(None, _("Too many attempts. Wait 15 minutes, then try again."))
            return render(request, "accounts/sign_in.html", {"form": form})
        if not admission.allowed:
            form.add_error(None, ngettext(
                "Several tries for this account failed. Wait %(seconds)d second, then try again.",
                "Several tries for this account failed. Wait %(seconds)d seconds, then try again.",
                admission.wait,
            ) % {"seconds": admission.wait})
            return render(request, "accounts/sign_in.html", {"form": form})
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is not None and is_operator(user):
            response = _sign_in_operator(request, user, data["code"])
            if response is not None:
                throttle.succeeded(admission)
                return response
        handler = handler_of(user)
        device = confirmed_authenticator(user) if handler and user else None
        if handler and (device is None or device.verify_token(data["code"])):
            reset = pending_reset(handler)
            if reset is not None:
                throttle.stopped(admission)
                form.add_error(None, _(
                    "%(reset)s The account opens again when you confirm it through the link "
                    "sent to your own email address."
                ) % {"reset": actions.describe_reset(reset)})
                return render(request, "accounts/sign_in.html", {"form": form})
            throttle.succeeded(admission)
            private_key = actions.sign_in_handler(handler=handler, password=data["password"])
            login(request, user)
            if device is None:
                response = redirect("accounts:authenticator")
            else:
                otp_login(request, device)
                response = redirect(_safe_next(request) or "accounts:home")
            for shown in actions.mark_resets_seen(handler=handler):
                messages.warning(request, _(
                    "%(reset)s If you did not ask for it, change your password now and tell "
                    "someone you trust in your organisation."
                ) % {"reset": actions.describe_reset(shown)})
            keyring.keep_unlocked(request, response, private_key)
            return response
        if throttle.failed(admission) == throttle.ALERT_AFTER_FAILURES:
            target = handler_by_username(data["username"])
            if target is not None:
                actions.alert_failed_sign_ins(handler=target)
        form.add_error(
            None,
            _("That did not work. Check your username, password and code, and try again."),
        )
    return render(request, "accounts/sign_in.html", {"form": form})


def _sign_in_operator(
    request: HttpRequest, user: User, code: str
) -> HttpResponse | None:
    """A platform operator: password and authenticator, no key pair; the administration only."""
    device = confirmed_authenticator(user)
    if device is None:
        login(request, user)
        return redirect("accounts:authenticator")
    if not device.verify_token(code):
        return None
    login(request, user)
    otp_login(request, device)
    return redirect("admin:index")


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def authenticator(request: HttpRequest) -> HttpResponse:
    """First sign-in: connect an authenticator app before anything else opens."""
    handler = handler_of(request.user)
    operator = handler is None and is_operator(request.user)
    if handler is None and not operator:
        return redirect("accounts:sign-in")
    home = "admin:index" if operator else "accounts:home"
    if confirmed_authenticator(request.user) is not None:
        return redirect(home)
    device = actions.unconfirmed_authenticator(handler=handler, user=request.user)
    form = AuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            actions.confirm_authenticator(handler=handler, device=device, user=request.user)
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(home)
        form.add_error("code", _("That code did not match. Enter the newest code from the app."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=5, dark="#1d2329", light="#ffffff"),
        "secret": _grouped(device.config_url.split("secret=")[1].split("&")[0]),
    }
    return render(request, "accounts/authenticator.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    response = redirect("accounts:sign-in")
    keyring.forget(request, response)
    logout(request)
    messages.info(request, _("You are signed out."))
    return response
