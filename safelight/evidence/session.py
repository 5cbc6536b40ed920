"""The way into a locker: the passphrase opens it, a short-lived cookie keeps it open.

The passphrase is never stored. Once it has opened the locker key, the cookie holds the locker's
id and key sealed under a key derived from the server's secret: the cookie alone opens nothing,
and it ends when the browser closes or after 30 minutes without use (as the receipt's does). It
also names a server-side session (safelight.intake.reporter_sessions), which Close my locker and
Quick exit end: a copied cookie then opens nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from safelight import sealed_cookies
from safelight.crypto import CryptoError, open_field
from safelight.crypto.passphrases import derive_locker_keys, normalize_passphrase
from safelight.evidence import access
from safelight.evidence.opened import PURPOSE, OpenLocker
from safelight.intake import session_actions
from safelight.intake.reporter_sessions import LOCKER
from safelight.reports.sealing import b64, unb64

COOKIE = "safelight_locker"
IDLE_SECONDS = 30 * 60
PERSON = b"sl-locker"
COOKIE_PURPOSE = "locker-cookie"


def open_with_passphrase(text: str) -> OpenLocker | None:
    """The locker this passphrase opens, or None. Raises InvalidPassphrase for a typo that can be
    told without any lookup (a word not in the list, the wrong number of words)."""
    words = normalize_passphrase(text)
    keys = derive_locker_keys(words, settings.SAFELIGHT_RECEIPT_PEPPER)
    locker = access.locker_with_lookup_id(keys.lookup_id)
    if locker is None:
        return None
    try:
        key = open_field(keys.wrap_key, bytes(locker.sealed_key), purpose=PURPOSE,
                         object_id=str(locker.pk), field="key")
    except CryptoError:
        return None
    return OpenLocker(locker=locker, key=key)


def keep_open(response: HttpResponseBase, opened: OpenLocker) -> None:
    """Keep the locker open in this browser: (re)write its sealed cookie, starting its
    server-side session the first time."""
    if opened.session_id is None:
        opened.session_id = session_actions.start_reporter_session(kind=LOCKER)
    sealed_cookies.write(response, COOKIE, {"id": opened.locker.pk.hex, "key": b64(opened.key)},
                         person=PERSON, purpose=COOKIE_PURPOSE, session_id=opened.session_id)


def opened_locker(request: HttpRequest) -> OpenLocker | None:
    """The locker this browser's cookie keeps open, or None (no cookie, idle too long, its
    session ended, or the locker deleted)."""
    data = sealed_cookies.read(request, COOKIE, person=PERSON, purpose=COOKIE_PURPOSE,
                               idle_seconds=IDLE_SECONDS, kind=LOCKER)
    if data is None:
        return None
    try:
        locker_id = uuid.UUID(hex=data["id"])
        key = unb64(data["key"])
    except (ValueError, KeyError, TypeError):
        return None
    locker = access.locker_with_id(locker_id)
    if locker is None:
        return None
    return OpenLocker(locker=locker, key=key, session_id=data[sealed_cookies.SESSION])


def session_id(request: HttpRequest) -> str | None:
    """The locker session this browser's cookie names (open, idle or already ended)."""
    return sealed_cookies.session_id(request, COOKIE, person=PERSON, purpose=COOKIE_PURPOSE)


def close(response: HttpResponse, *, request: HttpRequest | None = None) -> None:
    """Delete the cookie; given the request, also end its session on the server."""
    session_actions.close_sealed_session(response, COOKIE, person=PERSON, purpose=COOKIE_PURPOSE,
                                         request=request)
