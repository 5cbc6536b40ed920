"""The libsodium boundary (safelight.crypto._sodium)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from safelight.crypto import (
    CryptoError,
    DecryptionError,
    InvalidInput,
    InvalidSignature,
    _sodium,
)

PACKAGE = Path(__file__).parents[2] / "safelight" / "crypto"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_it_is_the_only_module_importing_pysodium_or_ctypes() -> None:
    importers = {
        path.name
        for path in PACKAGE.glob("*.py")
        if imported_modules(path) & {"pysodium", "ctypes", "nacl"}
    }
    assert importers == {"_sodium.py"}


def test_it_checks_lengths_before_calling_libsodium() -> None:
    with pytest.raises(InvalidInput, match="key must be 32 bytes"):
        _sodium.aead_encrypt(b"", b"m", b"", bytes(24), bytes(31))
    with pytest.raises(InvalidInput, match="nonce must be 24 bytes"):
        _sodium.aead_decrypt(bytes(40), 0, b"", bytes(12), bytes(32))
    with pytest.raises(InvalidInput):
        _sodium.aead_encrypt(b"", b"m", b"", bytearray(24), bytes(32))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        _sodium.PullStream(bytes(23), bytes(32))
    with pytest.raises(InvalidInput):
        _sodium.box_seal_open(bytes(64), bytes(32), bytes(31))
    with pytest.raises(InvalidInput):
        _sodium.ristretto_from_hash(bytes(32))


def test_it_writes_ciphertext_after_a_prefix_and_reads_at_an_offset() -> None:
    key, nonce = bytes(range(32)), bytes(24)
    blob = _sodium.aead_encrypt(b"HEAD", b"message", b"ad", nonce, key)
    assert blob[:4] == b"HEAD"
    assert len(blob) == 4 + 7 + 16
    assert _sodium.aead_decrypt(blob, 4, b"ad", nonce, key) == b"message"
    with pytest.raises(DecryptionError):
        _sodium.aead_decrypt(blob, 4, b"AD", nonce, key)
    with pytest.raises(DecryptionError, match="too short"):
        _sodium.aead_decrypt(blob, len(blob) - 15, b"ad", nonce, key)


def test_it_starts_a_new_buffer_with_its_prefix_only_when_the_prefix_fits() -> None:
    assert _sodium.new_buffer(6, b"\x00ab").raw == b"\x00ab\x00\x00\x00"
    assert _sodium.new_buffer(3, b"abc").raw == b"abc"
    assert _sodium.new_buffer(2).raw == bytes(2)
    with pytest.raises(InvalidInput, match="prefix does not fit"):
        _sodium.new_buffer(2, b"abc")


def test_it_translates_pysodium_value_errors() -> None:
    with pytest.raises(CryptoError, match="Argon2id failed"):
        _sodium.argon2id(32, b"pw", bytes(16), 0, 8192)
    with pytest.raises(InvalidSignature):
        _sodium.verify_detached(bytes(63), b"m", bytes(32))
    with pytest.raises(InvalidInput, match="zero"):
        _sodium.scalar_invert(bytes(32))
    with pytest.raises(InvalidInput, match="zero"):
        _sodium.ristretto_scalarmult_base(bytes(32))
    with pytest.raises(InvalidInput, match="invalid group element"):
        _sodium.ristretto_add(b"\xff" * 32, b"\xff" * 32)


def test_it_bounds_blake2b_sizes() -> None:
    assert len(_sodium.blake2b(b"m", key=bytes(16), size=16)) == 16
    assert len(_sodium.blake2b(b"m", key=bytes(64), size=64)) == 64
    for key, size in ((bytes(16), 15), (bytes(16), 65), (bytes(15), 32), (bytes(65), 32)):
        with pytest.raises(InvalidInput):
            _sodium.blake2b(b"m", key=key, size=size)


def test_it_wipes_stream_state() -> None:
    stream = _sodium.PushStream(bytes(32))
    stream.close()
    assert stream._state.raw == bytes(len(stream._state))
