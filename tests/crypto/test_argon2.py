"""Argon2id parameters."""

from __future__ import annotations

import pytest

from safelight.crypto import DEFAULT_ARGON2, Argon2Params, InvalidInput
from safelight.crypto.argon2 import MAX_MEMLIMIT, MAX_OPSLIMIT


def test_it_defaults_to_the_documented_costs() -> None:
    assert (DEFAULT_ARGON2.opslimit, DEFAULT_ARGON2.memlimit) == (3, 64 * 1024 * 1024)
    assert Argon2Params() == DEFAULT_ARGON2


@pytest.mark.parametrize(
    ("opslimit", "memlimit"),
    [
        (0, 8192),
        (1, 8191),
        (MAX_OPSLIMIT + 1, 8192),
        (1, MAX_MEMLIMIT + 1),
        (True, 8192),
        (1, 8192.0),
        ("3", 8192),
    ],
)
def test_it_rejects_costs_outside_libsodiums_range_and_our_ceiling(
    opslimit: object, memlimit: object
) -> None:
    with pytest.raises(InvalidInput):
        Argon2Params(opslimit=opslimit, memlimit=memlimit)  # type: ignore[arg-type]


def test_it_accepts_the_extremes() -> None:
    assert Argon2Params(1, 8192).opslimit == 1
    assert Argon2Params(MAX_OPSLIMIT, MAX_MEMLIMIT).memlimit == MAX_MEMLIMIT


def test_it_derives_deterministically_from_secret_salt_and_costs() -> None:
    cheap = Argon2Params(1, 8192)
    first = cheap.derive(b"secret", bytes(16), 32)
    assert first == cheap.derive(b"secret", bytes(16), 32)
    assert first != cheap.derive(b"secret", b"\x01" * 16, 32)
    assert first != Argon2Params(2, 8192).derive(b"secret", bytes(16), 32)
    assert len(cheap.derive(b"", bytes(16), 64)) == 64
