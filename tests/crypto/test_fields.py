"""Field encryption: round trips, binding to (purpose, object_id, field), tampering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelight.crypto import (
    DecryptionError,
    InvalidInput,
    KeyPair,
    UnsupportedFormat,
    generate_key,
    open_field,
    seal_field,
    seal_to,
)
from safelight.crypto.fields import FIELD_OVERHEAD

KEY = bytes(range(32))
CTX = {"purpose": "report", "object_id": "42", "field": "narrative"}
names = st.text(min_size=1, max_size=20)


@given(plaintext=st.binary(max_size=2048), purpose=names, object_id=names, field=names)
def test_it_round_trips(plaintext: bytes, purpose: str, object_id: str, field: str) -> None:
    ctx = {"purpose": purpose, "object_id": object_id, "field": field}
    blob = seal_field(KEY, plaintext, **ctx)
    assert open_field(KEY, blob, **ctx) == plaintext


def test_it_lays_out_format_byte_nonce_ciphertext_tag() -> None:
    blob = seal_field(KEY, b"hello", **CTX)
    assert blob[0] == 0x11
    assert len(blob) == 1 + 24 + 5 + 16 == FIELD_OVERHEAD + 5
    assert seal_field(KEY, b"hello", **CTX)[1:25] != blob[1:25]  # fresh random nonce


def test_it_generates_distinct_32_byte_keys() -> None:
    keys = {generate_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(len(key) == 32 for key in keys)


@given(data=st.data())
def test_it_rejects_any_tampered_byte(data: st.DataObject) -> None:
    blob = bytearray(seal_field(KEY, b"attack at dawn", **CTX))
    index = data.draw(st.integers(0, len(blob) - 1))
    blob[index] ^= data.draw(st.integers(1, 255))
    expected = UnsupportedFormat if index == 0 else DecryptionError
    with pytest.raises(expected):
        open_field(KEY, bytes(blob), **CTX)


@given(key=st.binary(min_size=32, max_size=32))
def test_it_rejects_a_wrong_key(key: bytes) -> None:
    blob = seal_field(KEY, b"secret", **CTX)
    if key != KEY:
        with pytest.raises(DecryptionError):
            open_field(key, blob, **CTX)


@given(which=st.sampled_from(sorted(CTX)), other=names)
def test_it_rejects_a_ciphertext_moved_to_another_context(which: str, other: str) -> None:
    blob = seal_field(KEY, b"secret", **CTX)
    moved = {**CTX, which: other}
    if moved != CTX:
        with pytest.raises(DecryptionError):
            open_field(KEY, blob, **moved)


def test_it_encodes_the_context_unambiguously() -> None:
    blob = seal_field(KEY, b"x", purpose="ab", object_id="c", field="d")
    with pytest.raises(DecryptionError):
        open_field(KEY, blob, purpose="a", object_id="bc", field="d")


def test_it_rejects_truncated_and_empty_blobs() -> None:
    blob = seal_field(KEY, b"", **CTX)
    assert open_field(KEY, blob, **CTX) == b""
    for size in range(1, len(blob)):
        with pytest.raises(DecryptionError):
            open_field(KEY, blob[:size], **CTX)
    with pytest.raises(UnsupportedFormat, match="found empty input"):
        open_field(KEY, b"", **CTX)


def test_it_names_expected_and_found_formats() -> None:
    sealed = seal_to(KeyPair.generate().public_key, b"data key")
    with pytest.raises(UnsupportedFormat) as caught:
        open_field(KEY, sealed, **CTX)
    message = str(caught.value)
    assert "field ciphertext (0x11)" in message
    assert "sealed box (0x21)" in message
    with pytest.raises(UnsupportedFormat, match=r"unknown format \(0xff\)"):
        open_field(KEY, b"\xff" * 64, **CTX)
    with pytest.raises(UnsupportedFormat, match="as bytes, found str"):
        open_field(KEY, "not bytes", **CTX)  # type: ignore[arg-type]


def test_it_accepts_bytes_like_inputs() -> None:
    blob = seal_field(bytearray(KEY), memoryview(b"abc"), **CTX)
    assert open_field(memoryview(KEY), bytearray(blob), **CTX) == b"abc"


@pytest.mark.parametrize(
    ("key", "plaintext", "ctx"),
    [
        (KEY[:31], b"x", CTX),
        (KEY + b"\x00", b"x", CTX),
        ("k" * 32, b"x", CTX),
        (KEY, "text", CTX),
        (KEY, b"x", {**CTX, "purpose": ""}),
        (KEY, b"x", {**CTX, "object_id": 42}),
        (KEY, b"x", {**CTX, "field": "x" * 65536}),
        (KEY, b"x", {**CTX, "field": "\ud800"}),
    ],
)
def test_it_rejects_bad_arguments(key: object, plaintext: object, ctx: dict) -> None:
    with pytest.raises(InvalidInput):
        seal_field(key, plaintext, **ctx)  # type: ignore[arg-type]


def test_it_accepts_the_longest_context_part() -> None:
    ctx = {**CTX, "field": "x" * 65535}
    assert open_field(KEY, seal_field(KEY, b"ok", **ctx), **ctx) == b"ok"
