"""Rate limits count under a daily-rotating keyed hash, in the cache only; on Redis as well."""

import socket
import time

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


# Issue 20, item 7: check and count are one atomic step; guesses are charged to several budgets.

from concurrent.futures import ThreadPoolExecutor  # noqa: E402

from django.core.cache import cache as default_cache  # noqa: E402


def _forty_parallel_tries(scope: str) -> int:
    token = "p" * 32
    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(
            lambda _i: ratelimit.take(scope, token, limit=10, window=3600), range(40)))
    return sum(results)


@pytest.mark.parametrize("backend", [
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
])
def test_it_lets_exactly_the_limit_through_of_forty_parallel_tries(backend, tmp_path):
    with override_settings(CACHES={"default": {"BACKEND": backend,
                                               "LOCATION": str(tmp_path / "cache")}}):
        default_cache.clear()
        assert _forty_parallel_tries("parallel") == 10


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_it_lets_exactly_the_limit_through_on_redis():
    with override_settings(CACHES={"default": cache_settings("redis://127.0.0.1:6379/15", None)}):
        default_cache.clear()
        assert _forty_parallel_tries("parallel-redis") == 10
        default_cache.clear()


def _guess(request, ticket=None):
    return ratelimit.charge_guess(request, "receipt", ticket or ratelimit.new_ticket())


def test_it_limits_one_address_whatever_the_guess_sessions():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    allowed = [_guess(request).allowed for _ in range(ratelimit.GUESS_LIMIT + 5)]
    assert allowed == [True] * ratelimit.GUESS_LIMIT + [False] * 5
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.5")
    assert _guess(other).allowed


def test_one_client_behind_an_address_less_hop_cannot_lock_the_others_out(settings):
    """A Tor onion service on the same host: every client is 127.0.0.1 with no X-Forwarded-For.
    One guess session runs out after ten; the next reporter's session still gets in."""
    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1",)
    onion = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    attacker = ratelimit.new_ticket()
    allowed = [_guess(onion, attacker).allowed for _ in range(ratelimit.GUESS_LIMIT + 5)]
    assert allowed.count(True) == ratelimit.GUESS_LIMIT
    assert _guess(onion, ratelimit.new_ticket()).allowed  # another reporter on the onion


# Overrides through the `settings` fixture only: mixed with @override_settings, the fixture's
# undo would restore the decorator's settings after the decorator had undone them, and every
# later test in the process would keep this local-memory cache.
def test_the_address_less_hop_has_a_pool_that_bounds_fresh_sessions(settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pool-1"}}
    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1",)
    onion = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    pool = ratelimit.GUESS_LIMIT * ratelimit.SHARED_POOL_FACTOR
    allowed = sum(_guess(onion).allowed for _ in range(pool + 20))
    assert allowed == pool


def test_a_fresh_forwarded_for_per_try_does_not_multiply_tries(settings):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pool-2"}}
    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1",)
    pool = ratelimit.GUESS_LIMIT * ratelimit.PROXY_POOL_FACTOR
    allowed = 0
    for number in range(pool + 50):
        request = RequestFactory().post(
            "/", REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.{number // 65536}.{number // 256 % 256}.{number % 256}")
        allowed += _guess(request).allowed
    assert allowed == pool


def test_a_right_guess_costs_nothing():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    ticket = ratelimit.new_ticket()
    for _ in range(ratelimit.GUESS_LIMIT * 2):
        charge = _guess(request, ticket)
        assert charge.allowed
        charge.refund()


def test_it_reads_only_its_own_recent_tickets():
    ticket = ratelimit.new_ticket()
    assert ratelimit.ticket_id(ticket)
    assert ratelimit.ticket_id(ticket + "x") is None
    assert ratelimit.ticket_id("") is None


# Through the views.

WRONG_RECEIPT = "We could not open a report with that receipt"
TOO_MANY = "too many tries from here"


def _ticket(page: str) -> str:
    import re

    return re.search(r'name="attempt" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_one_client_gets_exactly_the_limit_of_receipt_guesses_through_the_view():
    from django.test import Client

    client = Client(REMOTE_ADDR="198.51.100.30")
    tries = 0
    while TOO_MANY not in client.post("/receipt/", {"receipt": "1234-5678"}).content.decode():
        tries += 1
        assert tries <= 100
    assert tries == ratelimit.GUESS_LIMIT


@pytest.mark.django_db
def test_an_onion_visitor_keeps_their_tries_when_another_uses_up_theirs(settings):
    from django.test import Client

    settings.SAFELIGHT_TRUSTED_PROXIES = ("127.0.0.1",)
    attacker, reporter = Client(), Client()  # both 127.0.0.1, no X-Forwarded-For
    ticket = _ticket(attacker.get("/receipt/").content.decode())
    for _ in range(ratelimit.GUESS_LIMIT):
        page = attacker.post("/receipt/", {"receipt": "1234-5678", "attempt": ticket})
        assert WRONG_RECEIPT in page.content.decode()
    page = attacker.post("/receipt/", {"receipt": "1234-5678", "attempt": ticket})
    assert TOO_MANY in page.content.decode()
    ticket = _ticket(reporter.get("/receipt/").content.decode())
    page = reporter.post("/receipt/", {"receipt": "1234-5678", "attempt": ticket})
    assert WRONG_RECEIPT in page.content.decode()


@pytest.mark.django_db
def test_it_limits_lockers_made_per_client_and_says_so():
    from django.test import Client

    from safelight.evidence.models import Locker
    from safelight.evidence.views.survivor_locker import LOCKERS_PER_HOUR

    client = Client(REMOTE_ADDR="198.51.100.31")
    door = client.get("/locker/").content.decode()
    assert f"Up to {LOCKERS_PER_HOUR} lockers can be made" in door
    assert "A locker can hold up to 512" in door
    for _ in range(LOCKERS_PER_HOUR):
        assert client.post("/locker/new/").status_code == 200
        client.post("/locker/close/")
    refused = client.post("/locker/new/")
    assert "Too many lockers have been made from here" in refused.content.decode()
    assert Locker.objects.count() == LOCKERS_PER_HOUR


def test_it_leaves_the_default_cache_as_it_found_it():
    """Guards the two tests above: a leaked override would give every later test their cache."""
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")


def test_a_count_in_the_file_cache_lasts_its_whole_window(settings, tmp_path, monkeypatch):
    """Django's file cache gives an incremented key the default timeout (five minutes): an hour's
    count of wrong receipts must not be forgotten five minutes after the last try."""
    import django.core.cache.backends.filebased as filebased

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache")}}
    for _ in range(3):
        ratelimit.increment("ratelimit:window-test", timeout=3600)
    now = time.time()
    monkeypatch.setattr(filebased.time, "time", lambda: now + 1800)
    assert default_cache.get("ratelimit:window-test") == 3
    monkeypatch.setattr(filebased.time, "time", lambda: now + 3700)
    assert default_cache.get("ratelimit:window-test") is None
