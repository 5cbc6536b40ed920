"""Who may use the staff side: a signed-in handler who has passed the second factor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar, cast
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts import keyring
from safelight.accounts.models import AccountReset, Handler


class HandlerRequest(HttpRequest):
    """The request a view behind `handler_required` receives: for the type checker only (it is
    never made; the decorator sets `handler` on Django's request). Annotate such a view's
    request with it to read `request.handler`, and its `user`, which is signed in."""

    handler: Handler
    user: User


class _VerifiableUser(Protocol):
    def is_verified(self) -> bool: ...


def second_factor_verified(user: User | AnonymousUser) -> bool:
    """Whether the user passed the second factor on this session: django_otp's OTPMiddleware
    gives each request's user `is_verified()`, which its (untyped) package cannot declare."""
    return cast(_VerifiableUser, user).is_verified()


Params = ParamSpec("Params")
Response = TypeVar("Response", bound=HttpResponseBase)


def handler_of(user: User | AnonymousUser | None) -> Handler | None:
    """The handler account of a signed-in (or just authenticated) user, if there is one."""
    if user is None or not user.is_authenticated:
        return None
    return Handler.objects.select_related("organisation").filter(user=user).first()


def confirmed_authenticator(user: User | AnonymousUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def handler_required(
    view: Callable[Concatenate[HandlerRequest, Params], Response],
) -> Callable[Concatenate[HttpRequest, Params], Response | HttpResponse]:
    """Signed in, second factor verified, private key unlocked; else back to sign-in.

    The view takes a `HandlerRequest` (with `handler` set) and returns any response, a
    streaming one too; the decorated view takes Django's request."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Params.args, **kwargs: Params.kwargs
                ) -> Response | HttpResponse:
        handler = handler_of(request.user)
        if handler is None:
            return redirect_to_sign_in(request)
        if not second_factor_verified(request.user):
            if confirmed_authenticator(request.user) is None:
                return redirect("accounts:authenticator")
            return redirect_to_sign_in(request)
        try:
            keyring.unlocked_key(request)
        except keyring.KeyLocked:
            logout(request)
            return redirect_to_sign_in(request)
        handler_request = cast(HandlerRequest, request)
        handler_request.handler = handler
        return view(handler_request, *args, **kwargs)

    return wrapper


def redirect_to_sign_in(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("accounts:sign-in") + "?" + urlencode({"next": request.path}))


def handler_by_username(username: str) -> Handler | None:
    return Handler.objects.select_related("user", "organisation").filter(
        user__username=username
    ).first()


def pending_reset(handler: Handler) -> AccountReset | None:
    """A reset of the handler's account that the handler has not confirmed (nor the
    organisation's approver approved): the account stays closed meanwhile."""
    return (
        AccountReset.objects.select_related("reset_by")
        .filter(handler=handler, confirmed_at=None, approved_at=None)
        .first()
    )


def awaiting_reset_confirmation(handler_ids: Iterable[int]) -> set[int]:
    """Which of these handlers have a pending reset: no report key is sealed to them.

    The one check every place that seals a key to a handler uses (submitting, assignment, escrow
    release, sharing a locker): the reset's new key pair receives nothing until the handler
    confirms or the organisation's approver approves (issue 20)."""
    return set(
        AccountReset.objects.filter(
            handler_id__in=list(handler_ids), confirmed_at=None, approved_at=None
        ).values_list("handler_id", flat=True)
    )


def has_email(prefix: str = "") -> Q:
    """Handlers an email can reach (`prefix` names the handler from another model, e.g.
    "assignee__"): an address they set themselves, or one given when the account was made."""
    return ~Q(**{f"{prefix}own_email": ""}) | ~Q(**{f"{prefix}user__email": ""})
