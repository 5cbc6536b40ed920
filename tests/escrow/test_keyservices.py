"""The app's client of the two key services: split-key OPRF, rate limits, failures."""

import logging
import uuid

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safelight.crypto import InvalidInput, oprf
from safelight.escrow import keyservice_limits, keyservices
from safelight.escrow.keyservices import (
    InvalidBlindedElement,
    KeyServiceLimit,
    KeyServiceUnavailable,
)

SERVICE_1 = "local:test-key-service-1"
SERVICE_2 = "local:test-key-service-2"
IDENTIFIER = b"instagram:some.user"


def scalar(number: int) -> bytes:
    return (number % oprf.ORDER).to_bytes(32, "little")


def number(scalar_bytes: bytes) -> int:
    return int.from_bytes(scalar_bytes, "little")


def session() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def evaluations(monkeypatch, key_services, settings):
    """Records every evaluation under a key share (not the client's own element checks)."""
    shares = {entry["SHARE"] for entry in settings.SAFELIGHT_KEY_SERVICES}
    calls = []
    original = oprf.blind_evaluate

    def recording(key, blinded):
        if key in shares:
            calls.append((key, blinded))
        return original(key, blinded)

    monkeypatch.setattr(oprf, "blind_evaluate", recording)
    return calls


def test_it_is_configured_only_with_two_key_services(key_services, settings):
    assert keyservices.configured()
    settings.SAFELIGHT_KEY_SERVICES = settings.SAFELIGHT_KEY_SERVICES[:1]
    assert not keyservices.configured()
    settings.SAFELIGHT_KEY_SERVICES = []
    assert not keyservices.configured()
    settings.SAFELIGHT_KEY_SERVICES = [{"NAME": "x", "BACKEND": "carrier-pigeon"}] * 2
    assert not keyservices.configured()


def test_it_is_configured_in_demo_mode_with_two_local_services(settings):
    assert [entry["BACKEND"] for entry in settings.SAFELIGHT_KEY_SERVICES] == ["local", "local"]
    assert keyservices.configured()


def test_it_combines_both_shares_into_the_full_keys_output(key_services):
    blind, blinded = oprf.blind(IDENTIFIER)
    evaluated = keyservices.evaluate(blinded, session=session())
    assert oprf.finalize(IDENTIFIER, blind, evaluated) == oprf.evaluate(key_services, IDENTIFIER)
    assert keyservices.oprf_output(IDENTIFIER, session=session()) == oprf.evaluate(
        key_services, IDENTIFIER
    )


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(identifier=st.binary(max_size=200))
def test_it_gives_the_same_output_as_the_full_key_for_any_input(key_services, identifier):
    output = keyservices.oprf_output(identifier, session=session())
    assert output == oprf.evaluate(key_services, identifier)
    assert len(output) == 64


def test_it_counts_each_evaluation_at_both_services_in_their_own_namespaces(key_services):
    tag = session()
    keyservices.oprf_output(IDENTIFIER, session=tag)
    keyservices.oprf_output(b"email:someone@example.org", session=tag)
    assert keyservice_limits.used(SERVICE_1, tag) == keyservice_limits.used(SERVICE_2, tag) == 2
    assert keyservice_limits.used(SERVICE_1) == keyservice_limits.used(SERVICE_2) == 2


# THREAT: guessing identifiers through the key services stops at the rate limit.


def test_it_stops_one_session_guessing_at_the_thirteenth_evaluation(key_services, evaluations):
    """A phone number has few possibilities; one reporter session gets 12 evaluations a day."""
    tag = session()
    for guess in range(12):
        keyservices.oprf_output(f"phone:+4479460{guess:05d}".encode(), session=tag)
    assert len(evaluations) == 24  # 12 at each service
    with pytest.raises(KeyServiceLimit) as refused:
        keyservices.oprf_output(b"phone:+447946000012", session=tag)
    assert len(evaluations) == 24  # refused before any evaluation, at either service
    message = str(refused.value.message)
    assert "try again tomorrow" in message
    assert "continue without it" in message
    # Hammering on does not spend the service's daily budget, nor reach the second service.
    for _ in range(5):
        with pytest.raises(KeyServiceLimit):
            keyservices.oprf_output(b"phone:+447946000013", session=tag)
    assert keyservice_limits.used(SERVICE_1) == keyservice_limits.used(SERVICE_2) == 12
    assert keyservice_limits.used(SERVICE_2, tag) == 12
    # Another reporter is not held back by this one.
    assert keyservices.oprf_output(IDENTIFIER, session=session()) == oprf.evaluate(
        key_services, IDENTIFIER
    )


def test_it_stops_guessing_spread_over_many_sessions_at_the_daily_cap(
    key_services, evaluations, settings
):
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 30
    done = 0
    with pytest.raises(KeyServiceLimit):
        for guess in range(1000):
            keyservices.oprf_output(f"phone:+4479460{guess:05d}".encode(), session=session())
            done += 1
    assert done == 30
    assert len(evaluations) == 60
    with pytest.raises(KeyServiceLimit):
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert len(evaluations) == 60  # every refusal came before any evaluation
    assert keyservice_limits.used(SERVICE_2) == 30  # the second service was not asked


def test_it_gives_a_session_its_count_back_when_the_daily_cap_refuses(key_services, settings):
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 1
    keyservices.oprf_output(IDENTIFIER, session=session())
    tag = session()
    with pytest.raises(KeyServiceLimit):
        keyservices.oprf_output(IDENTIFIER, session=tag)
    assert keyservice_limits.used(SERVICE_1, tag) == 0


def test_it_does_not_spend_the_second_services_budget_when_the_first_refuses(key_services):
    tag = session()
    for _ in range(12):  # the first service's budget for this session is used up elsewhere
        keyservice_limits.acquire(SERVICE_1, tag)
    with pytest.raises(KeyServiceLimit):
        keyservices.oprf_output(IDENTIFIER, session=tag)
    assert keyservice_limits.used(SERVICE_2, tag) == 0
    assert keyservice_limits.used(SERVICE_2) == 0


def test_it_gives_a_fresh_budget_the_next_day(key_services, monkeypatch):
    tag = session()
    today = keyservice_limits._now()
    for _ in range(12):
        keyservices.oprf_output(IDENTIFIER, session=tag)
    with pytest.raises(KeyServiceLimit):
        keyservices.oprf_output(IDENTIFIER, session=tag)
    monkeypatch.setattr(keyservice_limits, "_now", lambda: today + keyservice_limits.DAY)
    assert keyservices.oprf_output(IDENTIFIER, session=tag) == oprf.evaluate(
        key_services, IDENTIFIER
    )


def test_it_keeps_no_session_tag_in_clear_in_the_counters(key_services, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    tag = "draft-tag-" + session()
    keyservices.oprf_output(IDENTIFIER, session=tag)
    keys = list(caches["default"]._cache)
    assert len(keys) == 4  # per session and per day, at each service
    assert not any(tag in key or "test-key-service" in key for key in keys)


# THREAT: one key service's share alone reveals nothing about P̂.


def test_it_gives_one_service_a_view_independent_of_the_output(settings, monkeypatch):
    """For a fixed share k1, two different full keys (k2 differs) leave service 1's answers
    identical while P̂ differs: what service 1 sees and answers cannot determine P̂."""
    k1, k2, k2_other = oprf.generate_key(), oprf.generate_key(), oprf.generate_key()
    sk = scalar(number(k1) + number(k2))
    sk_other = scalar(number(k1) + number(k2_other))
    blind, blinded = oprf.blind(IDENTIFIER)

    answers = {}
    original = keyservices.LocalService.evaluate
    for name, second in (("sk", k2), ("sk_other", k2_other)):
        seen = []

        def spy(self, element, tag, seen=seen):
            answer = original(self, element, tag)
            if self.name == "one":
                seen.append((element, answer))
            return answer

        monkeypatch.setattr(keyservices.LocalService, "evaluate", spy)
        settings.SAFELIGHT_KEY_SERVICES = [
            {"NAME": "one", "BACKEND": "local", "SHARE": k1},
            {"NAME": f"two-{name}", "BACKEND": "local", "SHARE": second},
        ]
        evaluated = keyservices.evaluate(blinded, session=session())
        answers[name] = (seen, oprf.finalize(IDENTIFIER, blind, evaluated))

    (view, output), (view_other, output_other) = answers["sk"], answers["sk_other"]
    assert view == view_other  # service 1 sees and says exactly the same under both keys
    assert output == oprf.evaluate(sk, IDENTIFIER)
    assert output_other == oprf.evaluate(sk_other, IDENTIFIER)
    assert output != output_other
    # Finalising with service 1's answer alone gives its own PRF, not P̂.
    alone = oprf.finalize(IDENTIFIER, blind, view[0][1])
    assert alone == oprf.evaluate(k1, IDENTIFIER)
    assert alone not in (output, output_other)


def test_it_sends_a_key_service_only_a_fresh_blinded_element_and_the_session_tag(
    key_services, monkeypatch
):
    seen = []
    original = keyservices.LocalService.evaluate

    def spy(self, element, tag):
        seen.append((element, tag))
        return original(self, element, tag)

    monkeypatch.setattr(keyservices.LocalService, "evaluate", spy)
    keyservices.oprf_output(IDENTIFIER, session="tag-a")
    keyservices.oprf_output(IDENTIFIER, session="tag-a")
    (first, tag_1), (_, tag_2), (second, _), _ = seen
    assert tag_1 == tag_2 == "tag-a"
    assert first != second  # the same name, asked twice, is not recognisable
    for element, _tag in seen:
        assert IDENTIFIER not in element
        assert element != oprf.hash_to_group(IDENTIFIER)


# Failures: a clear error with a message for the reporter, never a crash.


def test_it_refuses_what_is_not_a_blinded_element_before_asking_anyone(key_services, evaluations):
    for garbage in (b"", b"\x00" * 32, b"\xff" * 32, b"short", "text"):
        with pytest.raises(InvalidBlindedElement) as refused:
            keyservices.evaluate(garbage, session=session())
        assert isinstance(refused.value, InvalidInput)
        assert "continue without it" in str(refused.value.message)
    assert evaluations == []
    assert keyservice_limits.used(SERVICE_1) == 0


@pytest.mark.parametrize("configured", [[], "one"])
def test_it_is_unavailable_without_two_key_services(configured, key_services, settings):
    if configured == "one":
        settings.SAFELIGHT_KEY_SERVICES = settings.SAFELIGHT_KEY_SERVICES[:1]
    else:
        settings.SAFELIGHT_KEY_SERVICES = configured
    with pytest.raises(KeyServiceUnavailable) as refused:
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert "continue without it" in str(refused.value.message)


def test_it_is_unavailable_when_a_local_share_is_not_a_key(key_services, settings):
    settings.SAFELIGHT_KEY_SERVICES[1] = {**settings.SAFELIGHT_KEY_SERVICES[1], "SHARE": bytes(32)}
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(IDENTIFIER, session=session())


def test_it_is_unavailable_when_the_answers_cancel_out(settings):
    k = oprf.generate_key()
    settings.SAFELIGHT_KEY_SERVICES = [
        {"NAME": "one", "BACKEND": "local", "SHARE": k},
        {"NAME": "two", "BACKEND": "local", "SHARE": scalar(-number(k))},
    ]
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(IDENTIFIER, session=session())


def test_it_never_logs_the_identifier_or_the_session(key_services, caplog, settings):
    caplog.set_level(logging.DEBUG)
    secret = b"phone:+447700900123"
    tag = "session-" + session()
    for _ in range(12):
        keyservices.oprf_output(secret, session=tag)
    with pytest.raises(KeyServiceLimit):
        keyservices.oprf_output(secret, session=tag)
    settings.SAFELIGHT_KEY_SERVICES = settings.SAFELIGHT_KEY_SERVICES[:1]
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(secret, session=tag)
    assert caplog.records  # the refusals were logged...
    for text in (secret.decode(), secret.hex(), "447700900123", tag):
        assert text not in caplog.text  # ...without what was asked or who asked


# `safelight escrow_keygen`: two shares, never the key.


def test_it_generates_two_shares_and_never_prints_the_key(key_services, settings):
    import io
    import re

    from django.core.management import call_command

    out = io.StringIO()
    call_command("escrow_keygen", stdout=out)
    text = out.getvalue()
    shares = [bytes.fromhex(h) for h in re.findall(r"SAFELIGHT_KEY_SHARE=([0-9a-f]{64})", text)]
    tokens = re.findall(r"SAFELIGHT_KEY_SERVICE_TOKEN=(\S+)", text)
    assert len(shares) == 2 and shares[0] != shares[1]
    assert len(set(tokens)) == 2 and all(len(token) >= 32 for token in tokens)
    for n, token in enumerate(tokens, start=1):
        assert f"SAFELIGHT_KEY_SERVICE_{n}_TOKEN={token}" in text
    sk = scalar(number(shares[0]) + number(shares[1]))
    assert sk.hex() not in text
    assert "unmatchable" in text
    # The two shares work as key services' shares of one key.
    settings.SAFELIGHT_KEY_SERVICES = [
        {"NAME": f"printed-{n}", "BACKEND": "local", "SHARE": share}
        for n, share in enumerate(shares)
    ]
    assert keyservices.oprf_output(IDENTIFIER, session=session()) == oprf.evaluate(sk, IDENTIFIER)

    out = io.StringIO()
    call_command("escrow_keygen", "--one-share", stdout=out)
    assert len(re.findall(r"SAFELIGHT_KEY_SHARE=[0-9a-f]{64}\n", out.getvalue())) == 1
    assert "unmatchable" in out.getvalue()


def test_the_daily_cap_holds_past_hundreds_of_sessions_in_the_file_cache(
    settings, key_services, tmp_path
):
    """Django's file cache used to cull at 300 entries, which reset the daily counter."""
    from safelight import config

    settings.CACHES = {"default": config.cache_settings("", tmp_path)}
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 400
    _, blinded = oprf.blind(b"a guess")
    for number in range(400):
        keyservices.evaluate(blinded, session=f"session-{number}")
    with pytest.raises(keyservices.KeyServiceLimit):
        keyservices.evaluate(blinded, session="one more")
