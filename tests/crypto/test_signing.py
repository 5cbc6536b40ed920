"""Ed25519 signatures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelight.crypto import (
    InvalidInput,
    InvalidSignature,
    SigningKey,
    UnsupportedFormat,
    VerifyKey,
)

KEY = SigningKey.generate()

# RFC 8032 section 7.1, TEST 1 (empty message).
RFC_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
RFC_SIGNATURE = (
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def test_it_matches_rfc_8032() -> None:
    key = SigningKey.from_bytes(b"\x62" + bytes.fromhex(RFC_SEED))
    assert key.verify_key().to_bytes() == b"\x63" + bytes.fromhex(RFC_PUBLIC)
    assert key.sign(b"") == b"\x61" + bytes.fromhex(RFC_SIGNATURE)
    key.verify_key().verify(b"", b"\x61" + bytes.fromhex(RFC_SIGNATURE))


@given(message=st.binary(max_size=1024))
def test_it_signs_and_verifies(message: bytes) -> None:
    signature = KEY.sign(message)
    assert signature[0] == 0x61
    assert len(signature) == 65
    assert KEY.verify_key().verify(message, signature) is None


@given(data=st.data())
def test_it_rejects_any_tampered_signature_byte(data: st.DataObject) -> None:
    signature = bytearray(KEY.sign(b"the evidence log head"))
    index = data.draw(st.integers(0, 64))
    signature[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(UnsupportedFormat if index == 0 else InvalidSignature):
        KEY.verify_key().verify(b"the evidence log head", bytes(signature))


@given(message=st.binary(min_size=1, max_size=64), data=st.data())
def test_it_rejects_a_tampered_message(message: bytes, data: st.DataObject) -> None:
    signature = KEY.sign(message)
    changed = bytearray(message)
    changed[data.draw(st.integers(0, len(message) - 1))] ^= data.draw(st.integers(1, 255))
    with pytest.raises(InvalidSignature):
        KEY.verify_key().verify(bytes(changed), signature)


def test_it_rejects_another_key_and_bad_lengths() -> None:
    signature = KEY.sign(b"m")
    with pytest.raises(InvalidSignature):
        SigningKey.generate().verify_key().verify(b"m", signature)
    with pytest.raises(InvalidSignature, match="wrong length"):
        KEY.verify_key().verify(b"m", signature[:-1])
    with pytest.raises(InvalidSignature):
        KEY.verify_key().verify(b"m", signature + b"\x00")
    with pytest.raises(UnsupportedFormat, match=r"Ed25519 signature \(0x61\)"):
        KEY.verify_key().verify(b"m", b"")
    with pytest.raises(InvalidSignature):
        VerifyKey(b"\xff" * 32).verify(b"m", signature)


def test_it_serialises_keys() -> None:
    blob = KEY.to_bytes()
    assert (blob[0], len(blob)) == (0x62, 33)
    assert SigningKey.from_bytes(blob) == KEY
    verify = KEY.verify_key().to_bytes()
    assert (verify[0], len(verify)) == (0x63, 33)
    assert VerifyKey.from_bytes(verify) == KEY.verify_key()
    assert hash(VerifyKey.from_bytes(verify)) == hash(KEY.verify_key())
    with pytest.raises(UnsupportedFormat):
        SigningKey.from_bytes(verify)
    with pytest.raises(UnsupportedFormat):
        VerifyKey.from_bytes(blob)
    with pytest.raises(InvalidInput):
        SigningKey.from_bytes(blob[:-1])
    with pytest.raises(InvalidInput):
        VerifyKey(b"short")


def test_it_compares_by_bytes_and_hides_the_seed() -> None:
    assert SigningKey.generate() != KEY
    assert KEY.to_bytes() != KEY
    assert KEY.verify_key() != KEY.verify_key().to_bytes()
    assert KEY.to_bytes()[1:].hex() not in repr(KEY)
    assert repr(KEY) == "SigningKey(<secret>)"
    assert repr(KEY.verify_key()).startswith("VerifyKey(")
    with pytest.raises(TypeError):
        hash(KEY)
    with pytest.raises(InvalidInput):
        KEY.sign("text")  # type: ignore[arg-type]
