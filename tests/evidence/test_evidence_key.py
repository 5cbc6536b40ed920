from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safelight.crypto import SigningKey
from safelight.evidence.bundle import key_fingerprint


def test_it_prints_the_public_key_and_its_fingerprint(settings):
    settings.SAFELIGHT_EVIDENCE_SIGNING_KEY = bytes(range(32))
    out = StringIO()
    call_command("evidence_key", stdout=out)
    public = SigningKey(bytes(range(32))).verify_key().to_bytes()[-32:]
    assert f"public key:  {public.hex()}" in out.getvalue()
    assert key_fingerprint(public) in out.getvalue()
    assert bytes(range(32)).hex() not in out.getvalue()


def test_it_says_when_no_locker_is_served(settings):
    settings.SAFELIGHT_EVIDENCE_SIGNING_KEY = None
    with pytest.raises(CommandError, match="no evidence locker"):
        call_command("evidence_key")
