"""The staff side's front door: sign in with password and TOTP, set up the app, change password."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight import ratelimit
from safelight.accounts import actions, keyring
from safelight.accounts.access import confirmed_authenticator, handler_of, handler_required
from safelight.accounts.forms import AuthenticatorForm, ChangePasswordForm, SignInForm

SIGN_IN_WINDOW = 15 * 60
SIGN_IN_LIMIT_PER_CLIENT = 10
SIGN_IN_LIMIT_PER_ACCOUNT = 20


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = ratelimit.client_token(request)
        account = ratelimit.name_token(data["username"])
        if ratelimit.blocked(
            "sign-in", client, limit=SIGN_IN_LIMIT_PER_CLIENT, window=SIGN_IN_WINDOW
        ) or ratelimit.blocked(
            "sign-in-account", account, limit=SIGN_IN_LIMIT_PER_ACCOUNT, window=SIGN_IN_WINDOW
        ):
            form.add_error(None, _("Too many attempts. Wait 15 minutes, then try again."))
            return render(request, "accounts/sign_in.html", {"form": form})
        user = authenticate(request, username=data["username"], password=data["password"])
        handler = handler_of(user)
        device = confirmed_authenticator(user) if handler else None
        if handler and (device is None or device.verify_token(data["code"])):
            private_key = actions.sign_in_handler(handler=handler, password=data["password"])
            login(request, user)
            if device is None:
                response = redirect("accounts:authenticator")
            else:
                otp_login(request, device)
                response = redirect(_safe_next(request) or "accounts:home")
            keyring.keep_unlocked(request, response, private_key)
            return response
        ratelimit.count("sign-in", client, window=SIGN_IN_WINDOW)
        ratelimit.count("sign-in-account", account, window=SIGN_IN_WINDOW)
        form.add_error(
            None,
            _("That did not work. Check your username, password and code, and try again."),
        )
    return render(request, "accounts/sign_in.html", {"form": form})


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def authenticator(request: HttpRequest) -> HttpResponse:
    """First sign-in: connect an authenticator app before anything else opens."""
    handler = handler_of(request.user)
    if handler is None:
        return redirect("accounts:sign-in")
    if confirmed_authenticator(request.user) is not None:
        return redirect("accounts:home")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = AuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            actions.confirm_authenticator(handler=handler, device=device)
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("accounts:home")
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


@handler_required
def home(request: HttpRequest) -> HttpResponse:
    # Known here, on the landing page, rather than asked on every staff page for the navigation.
    counsellor = request.handler.counselling_escrow.exists()
    return render(request, "accounts/home.html",
                  {"handler": request.handler, "counsellor": counsellor})


@handler_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.check_password(data["old_password"]):
            form.add_error("old_password", _("That is not your current password."))
        else:
            try:
                user = actions.change_handler_password(
                    handler=request.handler,
                    old_password=data["old_password"],
                    new_password=data["new_password"],
                )
            except ValidationError as exc:
                form.add_error("new_password", exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password is changed."))
                return redirect("accounts:home")
    return render(request, "accounts/change_password.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    response = redirect("accounts:sign-in")
    keyring.forget(request, response)
    logout(request)
    messages.info(request, _("You are signed out."))
    return response
