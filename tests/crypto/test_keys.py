"""X25519 keys, sealed boxes, password- and recovery-wrapped private keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import (
    DEFAULT_ARGON2,
    Argon2Params,
    DecryptionError,
    InvalidInput,
    KeyPair,
    PrivateKey,
    PublicKey,
    UnsupportedFormat,
    _sodium,
    needs_rewrap,
    open_sealed,
    rewrap_private_key,
    seal_to,
    unwrap_private_key,
    unwrap_recovery,
    wrap_for_recovery,
    wrap_private_key,
    wrapped_params,
)

FAST = Argon2Params(opslimit=1, memlimit=8192)
PAIR = KeyPair.generate()
OTHER = KeyPair.generate()


# --- key objects -------------------------------------------------------------------------


def test_it_generates_matching_key_pairs() -> None:
    pair = KeyPair.generate()
    assert pair.private_key.public_key() == pair.public_key
    assert pair != KeyPair.generate()
    assert KeyPair(pair.public_key, pair.private_key) == pair


def test_it_serialises_keys_with_format_bytes() -> None:
    public = PAIR.public_key.to_bytes()
    private = PAIR.private_key.to_bytes()
    assert (public[0], len(public)) == (0x71, 33)
    assert (private[0], len(private)) == (0x72, 33)
    assert PublicKey.from_bytes(public) == PAIR.public_key
    assert PrivateKey.from_bytes(private) == PAIR.private_key
    assert PublicKey(public[1:]) == PAIR.public_key


def test_it_rejects_keys_of_the_wrong_format_or_length() -> None:
    with pytest.raises(UnsupportedFormat, match=r"X25519 public key \(0x71\).*X25519 private"):
        PublicKey.from_bytes(PAIR.private_key.to_bytes())
    with pytest.raises(UnsupportedFormat):
        PrivateKey.from_bytes(PAIR.public_key.to_bytes())
    with pytest.raises(InvalidInput):
        PublicKey.from_bytes(PAIR.public_key.to_bytes() + b"\x00")
    with pytest.raises(InvalidInput):
        PrivateKey(b"\x00" * 31)
    with pytest.raises(InvalidInput):
        PublicKey("x" * 32)  # type: ignore[arg-type]


def test_it_keeps_private_keys_out_of_reprs_and_hashes() -> None:
    raw_hex = PAIR.private_key.to_bytes()[1:].hex()
    assert raw_hex not in repr(PAIR.private_key)
    assert raw_hex not in repr(PAIR)
    assert repr(PAIR.private_key) == "PrivateKey(<secret>)"
    assert repr(PAIR.public_key).startswith("PublicKey(")
    with pytest.raises(TypeError):
        hash(PAIR.private_key)
    assert hash(PAIR.public_key) == hash(PublicKey(PAIR.public_key.to_bytes()[1:]))


def test_it_compares_keys_only_with_keys() -> None:
    assert PAIR.public_key != PAIR.public_key.to_bytes()
    assert PAIR.private_key != PAIR.private_key.to_bytes()
    assert PAIR.private_key != OTHER.private_key


def test_it_rejects_inconsistent_key_pairs() -> None:
    with pytest.raises(InvalidInput, match="does not belong"):
        KeyPair(OTHER.public_key, PAIR.private_key)
    with pytest.raises(InvalidInput):
        KeyPair(PAIR.public_key.to_bytes(), PAIR.private_key)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        KeyPair(PAIR.public_key, PAIR.private_key.to_bytes())  # type: ignore[arg-type]


# --- sealed boxes ------------------------------------------------------------------------


@given(data=st.binary(max_size=512))
def test_it_round_trips_sealed_boxes(data: bytes) -> None:
    blob = seal_to(PAIR.public_key, data)
    assert blob[0] == 0x21
    assert open_sealed(PAIR.private_key, blob) == data


def test_it_rejects_a_sealed_box_opened_with_the_wrong_key() -> None:
    with pytest.raises(DecryptionError):
        open_sealed(OTHER.private_key, seal_to(PAIR.public_key, b"data key"))


@given(data=st.data())
def test_it_rejects_any_tampered_byte_of_a_sealed_box(data: st.DataObject) -> None:
    blob = bytearray(seal_to(PAIR.public_key, b"0123456789abcdef0123456789abcdef"))
    index = data.draw(st.integers(0, len(blob) - 1))
    blob[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(UnsupportedFormat if index == 0 else DecryptionError):
        open_sealed(PAIR.private_key, bytes(blob))


def test_it_rejects_short_sealed_boxes() -> None:
    blob = seal_to(PAIR.public_key, b"")
    for size in range(1, len(blob)):
        with pytest.raises(DecryptionError):
            open_sealed(PAIR.private_key, blob[:size])


def test_it_rejects_a_sealed_box_relabelled_as_another_kind() -> None:
    # A 0x21 box relabelled 0x32 (or the reverse) fails: the kind is also inside the box.
    sealed = seal_to(PAIR.public_key, PAIR.private_key.to_bytes()[1:])
    with pytest.raises(DecryptionError, match="different kind"):
        unwrap_recovery(b"\x32" + sealed[1:], PAIR.private_key)
    recovery = wrap_for_recovery(OTHER.private_key, PAIR.public_key)
    with pytest.raises(DecryptionError, match="different kind"):
        open_sealed(PAIR.private_key, b"\x21" + recovery[1:])


def test_it_rejects_bad_sealing_arguments() -> None:
    with pytest.raises(InvalidInput):
        seal_to(PAIR.public_key.to_bytes(), b"x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        open_sealed(PAIR.public_key, seal_to(PAIR.public_key, b"x"))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="public key rejected"):
        seal_to(PublicKey(bytes(32)), b"x")  # a low-order point


# --- recovery ----------------------------------------------------------------------------


def test_it_round_trips_recovery_wrapping() -> None:
    blob = wrap_for_recovery(PAIR.private_key, OTHER.public_key)
    assert blob[0] == 0x32
    assert unwrap_recovery(blob, OTHER.private_key) == PAIR.private_key
    with pytest.raises(DecryptionError):
        unwrap_recovery(blob, PAIR.private_key)
    with pytest.raises(UnsupportedFormat):
        unwrap_recovery(seal_to(OTHER.public_key, b"x"), OTHER.private_key)


def test_it_rejects_a_recovery_box_without_a_whole_key() -> None:
    blob = b"\x32" + _sodium.box_seal(b"\x32" + b"k" * 16, OTHER.public_key.to_bytes()[1:])
    with pytest.raises(DecryptionError, match="does not hold a private key"):
        unwrap_recovery(blob, OTHER.private_key)


# --- password wrapping -------------------------------------------------------------------


def test_it_wraps_and_unwraps_with_a_password() -> None:
    blob = wrap_private_key(PAIR.private_key, "correct horse", params=FAST)
    assert blob[0] == 0x31
    assert len(blob) == 1 + 4 + 8 + 16 + 24 + 32 + 16
    assert blob[1:5] == (1).to_bytes(4, "big")
    assert blob[5:13] == (8192).to_bytes(8, "big")
    assert unwrap_private_key(blob, "correct horse") == PAIR.private_key
    assert wrap_private_key(PAIR.private_key, "correct horse", params=FAST) != blob


def test_it_wraps_with_the_default_argon2_parameters() -> None:
    blob = wrap_private_key(PAIR.private_key, "pässwörd")
    assert wrapped_params(blob) == DEFAULT_ARGON2 == Argon2Params(3, 64 * 1024 * 1024)
    assert unwrap_private_key(blob, "pässwörd") == PAIR.private_key
    assert not needs_rewrap(blob)


def test_it_rejects_a_wrong_password() -> None:
    blob = wrap_private_key(PAIR.private_key, "correct horse", params=FAST)
    with pytest.raises(DecryptionError, match="wrong password"):
        unwrap_private_key(blob, "correct horse!")


def test_it_normalises_passwords_with_nfkc() -> None:
    # Full-width letters, a ligature and a composed/decomposed accent type the same password.
    blob = wrap_private_key(PAIR.private_key, "\uff23afe\u0301 \ufb01sh", params=FAST)
    assert unwrap_private_key(blob, "Caf\u00e9 fish") == PAIR.private_key


@settings(max_examples=40)
@given(data=st.data())
def test_it_rejects_any_tampered_byte_after_the_costs(data: st.DataObject) -> None:
    blob = bytearray(wrap_private_key(PAIR.private_key, "pw", params=FAST))
    index = data.draw(st.integers(13, len(blob) - 1))
    blob[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(DecryptionError):
        unwrap_private_key(bytes(blob), "pw")


@pytest.mark.parametrize(
    ("index", "mask", "message"),
    [
        (0, 0x01, None),  # format byte
        (4, 0x02, "wrong password"),  # opslimit 1 -> 3: authenticated header, fails
        (12, 0x01, "wrong password"),  # memlimit 8192 -> 8193: same Argon2 work, AD differs
        (4, 0x40, "out-of-range"),  # opslimit 65: refused before running Argon2id
        (5, 0x01, "out-of-range"),  # memlimit 2**56: refused before running Argon2id
        (11, 0x20, "out-of-range"),  # memlimit 8192 -> 0: below libsodium's minimum
    ],
)
def test_it_rejects_tampered_costs(index: int, mask: int, message: str | None) -> None:
    blob = bytearray(wrap_private_key(PAIR.private_key, "pw", params=FAST))
    blob[index] ^= mask
    if message is None:
        with pytest.raises(UnsupportedFormat):
            unwrap_private_key(bytes(blob), "pw")
    else:
        with pytest.raises(DecryptionError, match=message):
            unwrap_private_key(bytes(blob), "pw")


def test_it_rejects_wrapped_keys_of_the_wrong_length() -> None:
    blob = wrap_private_key(PAIR.private_key, "pw", params=FAST)
    for bad in (blob[:-1], blob + b"\x00", b"\x31"):
        with pytest.raises(DecryptionError, match="wrong length"):
            unwrap_private_key(bad, "pw")
        with pytest.raises(DecryptionError):
            wrapped_params(bad)


def test_it_reports_and_raises_argon2_costs() -> None:
    blob = wrap_private_key(PAIR.private_key, "pw", params=FAST)
    assert wrapped_params(blob) == FAST
    assert needs_rewrap(blob)
    assert needs_rewrap(blob, Argon2Params(opslimit=2, memlimit=8192))
    assert needs_rewrap(blob, Argon2Params(opslimit=1, memlimit=16384))
    assert not needs_rewrap(blob, FAST)
    assert not needs_rewrap(
        wrap_private_key(PAIR.private_key, "pw", params=Argon2Params(2, 16384)), FAST
    )
    stronger = Argon2Params(opslimit=2, memlimit=16384)
    rewrapped = rewrap_private_key(blob, "pw", "new pw", params=stronger)
    assert wrapped_params(rewrapped) == stronger
    assert not needs_rewrap(rewrapped, stronger)
    assert unwrap_private_key(rewrapped, "new pw") == PAIR.private_key
    with pytest.raises(DecryptionError):
        rewrap_private_key(blob, "wrong", "new pw", params=stronger)
    with pytest.raises(InvalidInput):
        needs_rewrap(blob, (1, 8192))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("private_key", "password", "params"),
    [
        (PAIR.private_key, "", FAST),
        (PAIR.private_key, b"pw", FAST),
        (PAIR.private_key, "\ud800", FAST),
        (PAIR.private_key, "pw", (1, 8192)),
        (PAIR.public_key, "pw", FAST),
    ],
)
def test_it_rejects_bad_wrapping_arguments(
    private_key: object, password: object, params: object
) -> None:
    with pytest.raises(InvalidInput):
        wrap_private_key(private_key, password, params=params)  # type: ignore[arg-type]
