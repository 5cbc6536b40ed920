"""How many OPRF evaluations a key service allows, so that names cannot be guessed through it.

An identifier such as a phone number has little entropy: whoever can ask for evaluations at will
could try every number and recognise the one named. Each key service therefore counts, per day
(UTC), the evaluations of each reporter session (SAFELIGHT_KEY_SERVICE_SESSION_LIMIT) and its
evaluations in total (SAFELIGHT_KEY_SERVICE_DAILY_LIMIT), and refuses past either, before any
evaluation is done.

Both the local key services (safelight.escrow.keyservices) and the HTTP key service
(safelight.escrow.views.keyservice) count here, each in its own namespace, as separate hosts
would. Counters live only in the cache (Redis in production), in the style of
safelight.ratelimit: the session tag is stored only as a keyed hash that changes every day, and
no address is ever involved.

Order of the two counts: the session's first. A session past its limit is refused without
touching the daily total, so one session hammering the service cannot use up everyone's day; and
when the daily total refuses, the session's count is given back, since nothing was evaluated.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from safelight.ratelimit import increment

DAY = 24 * 60 * 60
SESSION = "session"
DAILY = "daily"


class LimitReached(Exception):
    """The evaluation is refused: `scope` is "session" or "daily"."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"key service {scope} limit reached")
        self.scope = scope


def _now() -> float:
    return time.time()


def _session_token(namespace: str, session: str, day: int) -> str:
    key = hmac.new(
        settings.SECRET_KEY.encode("utf-8"),
        f"keyservice-session:{namespace}:{day}".encode(),
        hashlib.sha256,
    ).digest()
    return hmac.new(key, session.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _namespace_token(namespace: str) -> str:
    return hashlib.sha256(namespace.encode("utf-8")).hexdigest()[:16]


def acquire(namespace: str, session: str) -> None:
    """Count one evaluation for `session` at the key service `namespace`, or raise LimitReached.

    Call it before evaluating: a refused request costs the service no group operation.
    """
    now = _now()
    day = int(now) // DAY
    # Counters outlive their day by a minute, then the cache forgets them.
    timeout = DAY - int(now) % DAY + 60
    prefix = f"keyservice:{_namespace_token(namespace)}:{day}"
    session_key = f"{prefix}:{SESSION}:{_session_token(namespace, session, day)}"
    if increment(session_key, timeout=timeout) > settings.SAFELIGHT_KEY_SERVICE_SESSION_LIMIT:
        raise LimitReached(SESSION)
    if increment(f"{prefix}:{DAILY}", timeout=timeout) > settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT:
        increment(session_key, timeout=timeout, by=-1)  # give the session's try back
        raise LimitReached(DAILY)


def used(namespace: str, session: str | None = None) -> int:
    """Today's count at `namespace`: of `session`, or in total. For tests and benchmarks."""
    day = int(_now()) // DAY
    prefix = f"keyservice:{_namespace_token(namespace)}:{day}"
    if session is None:
        return cache.get(f"{prefix}:{DAILY}", 0)
    return cache.get(f"{prefix}:{SESSION}:{_session_token(namespace, session, day)}", 0)
