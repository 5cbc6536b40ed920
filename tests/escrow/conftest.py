import pytest

from safelight.crypto import oprf


@pytest.fixture
def key_services(settings):
    """Two local key services holding shares of a known key, with fresh counters and the default
    limits; returns the full key sk, so that tests can compute expected outputs with
    oprf.evaluate(sk, input)."""
    from django.core.cache import cache

    sk = oprf.generate_key()
    k1, k2 = oprf.split_key(sk)
    settings.SAFELIGHT_KEY_SERVICES = [
        {"NAME": "test-key-service-1", "BACKEND": "local", "SHARE": k1},
        {"NAME": "test-key-service-2", "BACKEND": "local", "SHARE": k2},
    ]
    settings.SAFELIGHT_KEY_SERVICE_SESSION_LIMIT = 12
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 1000
    cache.clear()  # the counters live only in the cache
    return sk
