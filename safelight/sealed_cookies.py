"""Short-lived cookies that carry a secret sealed under a key derived from the server's secret:
the cookie alone opens nothing, it ends when the browser closes, and it is refused after
`idle_seconds` without use. The receipt's follow-up and the evidence locker keep their open
report or locker this way."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from safelight.crypto import CryptoError
from safelight.intake.sealing import b64, open_json, seal_json, unb64


def _key(person: bytes) -> bytes:
    return hashlib.blake2b(
        settings.SECRET_KEY.encode("utf-8"), digest_size=32, person=person
    ).digest()


def write(response: HttpResponse, name: str, value: dict[str, Any], *, person: bytes,
          purpose: str) -> None:
    sealed = seal_json(_key(person), {**value, "at": int(time.time())}, purpose=purpose,
                       object_id="cookie", field="v1")
    response.set_cookie(
        name, b64(sealed), path="/", secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite="Strict",
    )


def read(request: HttpRequest, name: str, *, person: bytes, purpose: str,
         idle_seconds: int) -> dict[str, Any] | None:
    """The cookie's value, or None when it is missing, forged, damaged or idle too long."""
    value = request.COOKIES.get(name)
    if not value:
        return None
    try:
        data = open_json(_key(person), unb64(value), purpose=purpose, object_id="cookie",
                         field="v1")
    except (CryptoError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > idle_seconds:
        return None
    return data


def clear(response: HttpResponse, name: str) -> None:
    response.delete_cookie(name, path="/", samesite="Strict")
