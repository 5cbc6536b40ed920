"""Short-lived cookies that carry a secret sealed under a key derived from the server's secret:
the cookie alone opens nothing, it ends when the browser closes, and it is refused after
`idle_seconds` without use. The receipt's follow-up and the evidence locker keep their open
report or locker this way.

Each such cookie also carries the id of a server-side session (safelight.intake.reporter_sessions)
and is refused once that session has ended: Leave, Close my locker and Quick exit end it on the
server, so a copy of the cookie opens nothing afterwards, even within the idle time.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from safelight.crypto import CryptoError
from safelight.intake import reporter_sessions
from safelight.reports.sealing import b64, open_json, seal_json, unb64

SESSION = "sid"


def _key(person: bytes) -> bytes:
    return hashlib.blake2b(
        settings.SECRET_KEY.encode("utf-8"), digest_size=32, person=person
    ).digest()


def write(response: HttpResponseBase, name: str, value: dict[str, Any], *, person: bytes,
          purpose: str, session_id: str) -> None:
    sealed = seal_json(_key(person), {**value, SESSION: session_id, "at": int(time.time())},
                       purpose=purpose, object_id="cookie", field="v1")
    # No max_age or expires: a session cookie, gone when the browser closes.
    response.set_cookie(
        name, b64(sealed), path="/", secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite="Strict",
    )


def _open(request: HttpRequest, name: str, *, person: bytes, purpose: str) -> dict[str, Any] | None:
    value = request.COOKIES.get(name)
    if not value:
        return None
    try:
        data = open_json(_key(person), unb64(value), purpose=purpose, object_id="cookie",
                         field="v1")
    except (CryptoError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def read(request: HttpRequest, name: str, *, person: bytes, purpose: str,
         idle_seconds: int, kind: str) -> dict[str, Any] | None:
    """The cookie's value, or None when it is missing, forged, damaged, idle too long, or its
    session was ended on the server."""
    data = _open(request, name, person=person, purpose=purpose)
    if data is None or time.time() - data.get("at", 0) > idle_seconds:
        return None
    if not reporter_sessions.is_live(kind, data.get(SESSION)):
        return None
    return data


def session_id(request: HttpRequest, name: str, *, person: bytes, purpose: str) -> str | None:
    """The session id a genuine cookie carries, idle or not, so that it can be ended."""
    data = _open(request, name, person=person, purpose=purpose)
    sid = data.get(SESSION) if data is not None else None
    return sid if isinstance(sid, str) else None


def clear(response: HttpResponseBase, name: str) -> None:
    response.delete_cookie(name, path="/", samesite="Strict")
