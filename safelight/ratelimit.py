"""Rate limits that store no address (DESIGN.md, reporter safety).

A client is known only by a keyed hash of its address under a key that changes every day, and the
counters live only in the cache, for the length of their window. Yesterday's hashes cannot be
linked to today's, and nothing reaches the database or the logs.

Counting is atomic: a try is counted (cache.add + cache.incr: Redis INCR, a lock in the local
memory cache, a file lock in the file cache) before it is tried, and refused when the count it
got is past the limit, so parallel tries cannot slip between a check and a count.

Guesses (receipts, passphrases) are charged to several budgets at once (`charge_guess`), so that
one shared address cannot lock everyone out and one trusted address cannot multiply its tries
(docs/security.md, "Limits"):

* the client's own address, when there is one: GUESS_LIMIT an hour;
* the page's guess session, a signed random id in the form (no cookie): GUESS_LIMIT an hour;
* clients that reach Safelight through a local hop that names no client (a Tor onion service on
  the same host, a proxy that sets no X-Forwarded-For) all share one address: they are charged
  to their guess session and to a pool of SHARED_POOL_FACTOR x GUESS_LIMIT for that hop, not to
  one counter of ten;
* every guess forwarded by a trusted proxy is also charged to that proxy's pool of
  PROXY_POOL_FACTOR x GUESS_LIMIT, whatever client its X-Forwarded-For names: a fresh
  X-Forwarded-For per try gets no more than that.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest
from django.utils import timezone

GUESS_LIMIT = 10  # receipt or passphrase guesses per client, and per guess session, an hour
GUESS_WINDOW = 60 * 60
SHARED_POOL_FACTOR = 30  # 300 guesses an hour for all clients behind one address-less hop
PROXY_POOL_FACTOR = 100  # 1,000 guesses an hour through one trusted proxy, all clients together
TICKET_FIELD = "attempt"
_TICKET_SALT = "safelight.ratelimit.guess-session"


def _daily_key() -> bytes:
    day = timezone.now().date().isoformat().encode("ascii")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"ratelimit-day:" + day,
                    hashlib.sha256).digest()


def _token(value: str) -> str:
    return hmac.new(_daily_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def client_address(request: HttpRequest) -> str:
    """The client's address, only ever hashed: the peer's, or, when the peer is a trusted proxy
    (SAFELIGHT_TRUSTED_PROXIES), the last address before the proxies in X-Forwarded-For. Behind
    a proxy every peer address is the proxy's, and one shared counter would let anyone lock
    every reporter out."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.SAFELIGHT_TRUSTED_PROXIES)
    if address not in trusted:
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if hop not in trusted:
            return hop
    return address


def client_token(request: HttpRequest) -> str:
    return _token(client_address(request))


def name_token(name: str) -> str:
    """A keyed hash of an account name, for limits per account (the name is not kept either)."""
    return _token(name.strip().lower())


def _cache_key(scope: str, token: str, window: int) -> str:
    bucket = int(time.time()) // window
    return f"ratelimit:{scope}:{token}:{bucket}"


def blocked(scope: str, token: str, *, limit: int, window: int) -> bool:
    """True when `token` already used its `limit` attempts in this `window` (seconds)."""
    return cache.get(_cache_key(scope, token, window), 0) >= limit


def count(scope: str, token: str, *, window: int) -> int:
    return increment(_cache_key(scope, token, window), timeout=window)


_thread_lock = threading.Lock()


@contextlib.contextmanager
def _atomic() -> Iterator[None]:
    """Make add + incr one step where the backend does not: Django's file cache reads and
    rewrites a file for incr, so its workers (processes and threads) take a file lock."""
    backend = caches["default"]
    if not isinstance(backend, FileBasedCache):
        yield  # Redis INCR and the local memory cache's incr are atomic already
        return
    # The cache's directory: Django's own attribute, which its types leave out.
    directory = Path(backend._dir)  # type: ignore[attr-defined]
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _thread_lock, open(directory / "ratelimit.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def increment(key: str, *, timeout: int, by: int = 1) -> int:
    """Add `by` to the cache counter `key` (kept for `timeout` seconds); the new count."""
    with _atomic():
        if isinstance(caches["default"], FileBasedCache):
            # Django's file cache implements incr as get + set with the *default* timeout
            # (five minutes), which would forget an hour's or a day's count five minutes after
            # its last try. Under the file lock, set it again with its own timeout.
            value = max(cache.get(key, 0) + by, 0)
            cache.set(key, value, timeout=timeout)
            return value
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key, by)
        except ValueError:  # expired between add and incr
            cache.set(key, max(by, 0), timeout=timeout)
            return max(by, 0)


def take(scope: str, token: str, *, limit: int, window: int) -> bool:
    """Count one try for `token` and say whether it is within `limit` for this `window`.

    Check and count are one atomic step: of N parallel tries, exactly `limit` get True."""
    return count(scope, token, window=window) <= limit


def give_back(scope: str, token: str, *, window: int) -> None:
    """Uncount a try that turned out right (a receipt that opened its report)."""
    increment(_cache_key(scope, token, window), timeout=window, by=-1)


def reset(scope: str, token: str, *, window: int) -> None:
    """Forget `token`'s tries in this `window` (a right password starts its back-off again)."""
    cache.delete(_cache_key(scope, token, window))


def claim(key: str, *, timeout: int) -> bool:
    """Take the cache key `key` for `timeout` seconds if nobody holds it: True for exactly one of
    N parallel takers. (Not incr: Django's file cache rewrites an incremented key with the
    default timeout, so a counter cannot hold a turn for a given time there.)"""
    with _atomic():
        return cache.add(key, 1, timeout=timeout)


# Guesses --------------------------------------------------------------------------------------


def new_ticket() -> str:
    """A guess session for one form: a signed random id, carried in the form, never a cookie."""
    return signing.dumps(secrets.token_urlsafe(16), salt=_TICKET_SALT, compress=False)


def ticket_id(value: str | None) -> str | None:
    """The session id of a ticket from this server in the last hour, or None."""
    if not value:
        return None
    try:
        return signing.loads(value, salt=_TICKET_SALT, max_age=GUESS_WINDOW)
    except signing.BadSignature:
        return None


@dataclass(frozen=True)
class Charge:
    """The budgets one guess was charged to: `allowed` when every one had room."""

    allowed: bool
    budgets: tuple[tuple[str, str], ...]

    def refund(self) -> None:
        """The guess was right: it costs nothing."""
        for scope, token in self.budgets:
            give_back(scope, token, window=GUESS_WINDOW)


def _via(request: HttpRequest) -> tuple[str | None, str | None]:
    """(the client's own address or None, the trusted proxy it came through or None)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if peer not in set(settings.SAFELIGHT_TRUSTED_PROXIES):
        return peer, None
    address = client_address(request)
    return (None if address == peer else address), peer


def charge_guess(request: HttpRequest, scope: str, ticket: str) -> Charge:
    """Charge one guess in `scope` ("receipt", "locker") to every budget it falls under."""
    address, proxy = _via(request)
    budgets: list[tuple[str, str, int]] = [
        (f"{scope}-session", _token(ticket), GUESS_LIMIT)]
    if address is not None:
        budgets.append((scope, _token(address), GUESS_LIMIT))
    else:
        budgets.append((f"{scope}-shared", _token(proxy or ""),
                        GUESS_LIMIT * SHARED_POOL_FACTOR))
    if proxy is not None and address is not None:
        budgets.append((f"{scope}-proxy", _token(proxy), GUESS_LIMIT * PROXY_POOL_FACTOR))
    charged = []
    allowed = True
    for budget_scope, token, limit in budgets:
        charged.append((budget_scope, token))
        if not take(budget_scope, token, limit=limit, window=GUESS_WINDOW):
            allowed = False
            break  # the budgets after this one are not spent on a refused try
    if not allowed:  # a refused try costs the budgets that still had room nothing
        for budget_scope, token in charged[:-1]:
            give_back(budget_scope, token, window=GUESS_WINDOW)
    return Charge(allowed=allowed, budgets=tuple(charged))


def charge_client(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one action (making a locker) for this client: its address, or the pool of an
    address-less hop (limit x SHARED_POOL_FACTOR); through a proxy, the proxy's pool too."""
    address, proxy = _via(request)
    if address is None:
        return take(f"{scope}-shared", _token(proxy or ""), limit=limit * SHARED_POOL_FACTOR,
                    window=window)
    if proxy is not None and not take(f"{scope}-proxy", _token(proxy),
                                      limit=limit * PROXY_POOL_FACTOR, window=window):
        return False
    return take(scope, _token(address), limit=limit, window=window)


def charge_posted_guess(request: HttpRequest, scope: str) -> Charge:
    """Charge the guess a form posted, under the guess session its page gave it. A form without
    a good ticket is a session of its own: tickets cost nothing to get, so leaving one out buys
    nothing either (the address and pool budgets still apply)."""
    session = ticket_id(request.POST.get(TICKET_FIELD)) or secrets.token_urlsafe(16)
    return charge_guess(request, scope, session)


def ticket_for(request: HttpRequest) -> str:
    """The ticket to put in the form: the one it came with while still good, else a new one."""
    posted = request.POST.get(TICKET_FIELD) if request.method == "POST" else None
    return posted if posted is not None and ticket_id(posted) is not None else new_ticket()
