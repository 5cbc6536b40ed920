"""Where a signed-in handler's unlocked private key lives between requests (DESIGN.md).

The session (stored server-side) holds the private key sealed under a random key, and that key
lives only in the handler's cookie. Neither half alone opens it: a copy of the session table
reveals nothing, and neither does a stolen cookie once the session has ended. Signing out
deletes both; the session's expiry and the cookie's end at browser close end it too.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from safelight.crypto import CryptoError, PrivateKey, generate_key, open_field, seal_field

COOKIE = "safelight_key"
COOKIE_PATH = "/staff/"
SESSION_FIELD = "safelight_sealed_private_key"


class KeyLocked(Exception):
    """No unlocked key for this request: the handler must sign in again."""


def _context(request: HttpRequest) -> dict[str, str]:
    return {"purpose": "session-key", "object_id": str(request.user.pk), "field": "private_key"}


def keep_unlocked(request: HttpRequest, response: HttpResponseBase,
                  private_key: PrivateKey) -> None:
    cookie_key = generate_key()
    sealed = seal_field(cookie_key, private_key.to_bytes(), **_context(request))
    request.session[SESSION_FIELD] = base64.b64encode(sealed).decode("ascii")
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(cookie_key).decode("ascii"),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def unlocked_key(request: HttpRequest) -> PrivateKey:
    sealed = request.session.get(SESSION_FIELD)
    cookie = request.COOKIES.get(COOKIE)
    if not sealed or not cookie:
        raise KeyLocked
    try:
        cookie_key = base64.urlsafe_b64decode(cookie.encode("ascii"))
        raw = open_field(cookie_key, base64.b64decode(sealed), **_context(request))
        return PrivateKey.from_bytes(raw)
    except (CryptoError, ValueError) as exc:
        raise KeyLocked from exc


def forget(request: HttpRequest, response: HttpResponseBase) -> None:
    request.session.pop(SESSION_FIELD, None)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
