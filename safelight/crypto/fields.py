"""Field encryption: one database value under a 32-byte data key.

XChaCha20-Poly1305-IETF with a random 24-byte nonce (random nonces are safe at this size: no
counter to keep, no collision worry).  The associated data is the format byte and the
length-prefixed (purpose, object_id, field), so a ciphertext opens only where it was written.

Format: ``0x11 || nonce (24) || ciphertext || tag (16)`` - 41 bytes of overhead.
"""

from __future__ import annotations

from . import _sodium
from .context import associated_data
from .errors import DecryptionError
from .formats import FIELD_CIPHERTEXT, expect_format
from .inputs import as_bytes, symmetric_key

__all__ = ["FIELD_OVERHEAD", "generate_key", "open_field", "seal_field"]

_PREFIX = bytes([FIELD_CIPHERTEXT])
_HEADER = 1 + _sodium.XNONCE_BYTES
FIELD_OVERHEAD = _HEADER + _sodium.AEAD_TAG_BYTES


def generate_key() -> bytes:
    """Return a new random 32-byte data key."""
    return _sodium.random_bytes(_sodium.KEY_BYTES)


def seal_field(
    key: bytes, plaintext: bytes, *, purpose: str, object_id: str, field: str
) -> bytes:
    """Encrypt ``plaintext`` for (purpose, object_id, field); return the 0x11 blob."""
    raw_key = symmetric_key(key)
    message = as_bytes(plaintext, "plaintext")
    ad = associated_data(_PREFIX, purpose=purpose, object_id=object_id, field=field)
    nonce = _sodium.random_bytes(_sodium.XNONCE_BYTES)
    return _sodium.aead_encrypt(_PREFIX + nonce, message, ad, nonce, raw_key)


def open_field(key: bytes, blob: bytes, *, purpose: str, object_id: str, field: str) -> bytes:
    """Decrypt a 0x11 blob; raise DecryptionError unless key and context match exactly."""
    raw_key = symmetric_key(key)
    expect_format(blob, FIELD_CIPHERTEXT)
    data = as_bytes(blob, "blob")
    ad = associated_data(_PREFIX, purpose=purpose, object_id=object_id, field=field)
    if len(data) < FIELD_OVERHEAD:
        raise DecryptionError("field ciphertext is too short")
    return _sodium.aead_decrypt(data, _HEADER, ad, data[1:_HEADER], raw_key)
