"""Rate limits count under a daily-rotating keyed hash, in the cache only; on Redis as well."""

import socket

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from safelight import ratelimit
from safelight.config import ConfigurationError, cache_settings


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_it_hashes_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    token = ratelimit.client_token(request)
    assert "198.51.100.4" not in token
    assert token == ratelimit.client_token(request)
    other = RequestFactory().get("/", REMOTE_ADDR="198.51.100.5")
    assert ratelimit.client_token(other) != token


def test_it_rotates_the_key_each_day(monkeypatch):
    import datetime

    from django.utils import timezone

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    today = ratelimit.client_token(request)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert ratelimit.client_token(request) != today


def test_it_blocks_after_the_limit():
    token = "t" * 32
    for _ in range(3):
        assert not ratelimit.blocked("test", token, limit=3, window=60)
        ratelimit.count("test", token, window=60)
    assert ratelimit.blocked("test", token, limit=3, window=60)
    assert not ratelimit.blocked("test", "u" * 32, limit=3, window=60)


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_it_counts_in_redis():
    config = cache_settings("redis://127.0.0.1:6379/15", None)
    with override_settings(CACHES={"default": config}):
        cache = caches["default"]
        cache.clear()
        token = "r" * 32
        for _ in range(2):
            ratelimit.count("redis-test", token, window=60)
        assert ratelimit.blocked("redis-test", token, limit=2, window=60)
        cache.clear()


def test_it_refuses_a_cache_url_that_is_not_redis(tmp_path):
    with pytest.raises(ConfigurationError, match="SAFELIGHT_CACHE_URL"):
        cache_settings("memcached://x", tmp_path)
    assert cache_settings("", tmp_path)["LOCATION"] == str(tmp_path / "cache")


def test_it_counts_the_client_behind_a_trusted_proxy(settings):
    """Behind the TLS proxy every peer is the proxy: one shared counter would let one person
    lock every reporter out, so the proxy's X-Forwarded-For names the client (hashed only)."""
    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
    one = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    other = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                 HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert ratelimit.client_address(one) == "198.51.100.4"  # the proxy's own hop, not a claim
    assert ratelimit.client_token(one) != ratelimit.client_token(other)
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert ratelimit.client_address(direct) == "127.0.0.1"


def test_it_ignores_forwarded_for_from_anyone_else(settings):
    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1",)
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4",
                                   HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert ratelimit.client_address(request) == "198.51.100.4"
