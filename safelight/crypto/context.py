"""The associated data that binds a ciphertext to where it belongs.

A field ciphertext or an encrypted stream is authenticated together with its format byte and
the (purpose, object_id, field) it was written for, so a ciphertext copied into another row,
another column or another kind of record fails to open instead of decrypting there.
Each string is UTF-8 with a 2-byte big-endian length before it, so no two different triples
encode to the same bytes ("ab","c" differs from "a","bc").
"""

from __future__ import annotations

from .errors import InvalidInput
from .inputs import text

MAX_PART_BYTES = 0xFFFF


def _part(value: object, what: str) -> bytes:
    try:
        encoded = text(value, what).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} is not valid Unicode text") from None
    if not encoded:
        raise InvalidInput(f"{what} must not be empty")
    if len(encoded) > MAX_PART_BYTES:
        raise InvalidInput(f"{what} must be at most {MAX_PART_BYTES} bytes of UTF-8")
    return len(encoded).to_bytes(2, "big") + encoded


def associated_data(
    prefix: bytes, *, purpose: object, object_id: object, field: object
) -> bytes:
    """``prefix || len||purpose || len||object_id || len||field``."""
    return (
        prefix
        + _part(purpose, "purpose")
        + _part(object_id, "object_id")
        + _part(field, "field")
    )
