"""Rate limits that store no address (DESIGN.md, reporter safety).

A client is known only by a keyed hash of its address under a key that changes every day, and the
counters live only in the cache, for the length of their window. Yesterday's hashes cannot be
linked to today's, and nothing reaches the database or the logs.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


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


def increment(key: str, *, timeout: int) -> int:
    """Add one to the cache counter `key` (created for `timeout` seconds); the new count."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
