"""Argument checks shared by the recipes: they raise InvalidInput, never TypeError."""

from __future__ import annotations

from .errors import InvalidInput
from .formats import expect_format

KEY_BYTES = 32


def as_bytes(data: object, what: str) -> bytes:
    """Return ``data`` as ``bytes`` (copying only bytearray/memoryview input)."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise InvalidInput(f"{what} must be bytes, not {type(data).__name__}")


def symmetric_key(key: object) -> bytes:
    """A 32-byte symmetric key (from fields.generate_key)."""
    raw = as_bytes(key, "key")
    if len(raw) != KEY_BYTES:
        raise InvalidInput(f"key must be {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be str, not {type(value).__name__}")
    return value


def raw_key(data: object, size: int, what: str) -> bytes:
    """Exactly ``size`` raw key bytes."""
    raw = as_bytes(data, what)
    if len(raw) != size:
        raise InvalidInput(f"{what} must be {size} raw bytes, got {len(raw)}")
    return raw


def unprefixed_key(data: object, format_byte: int, size: int, what: str) -> bytes:
    """The ``size`` key bytes after ``format_byte`` in a serialised key."""
    expect_format(data, format_byte)
    blob = as_bytes(data, what)
    if len(blob) != 1 + size:
        raise InvalidInput(f"{what} must be {1 + size} bytes, got {len(blob)}")
    return blob[1:]
