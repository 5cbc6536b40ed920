"""Ed25519 signatures (libsodium ``crypto_sign``), detached.

Signing keys are stored as their 32-byte seed: ``0x62 || seed``; verify keys as
``0x63 || public key``; signatures as ``0x61 || 64-byte signature``.
"""

from __future__ import annotations

import hmac

from . import _sodium
from .errors import InvalidSignature
from .formats import ED25519_SIGNATURE, ED25519_SIGNING_KEY, ED25519_VERIFY_KEY, expect_format
from .inputs import as_bytes, raw_key, unprefixed_key

__all__ = ["SigningKey", "VerifyKey"]

_KEY = 32




class VerifyKey:
    """An Ed25519 public key; equal when the bytes are equal."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw_key(raw, _KEY, "verify key")

    @classmethod
    def from_bytes(cls, data: bytes) -> VerifyKey:
        return cls(unprefixed_key(data, ED25519_VERIFY_KEY, _KEY, "verify key"))

    def to_bytes(self) -> bytes:
        return bytes([ED25519_VERIFY_KEY]) + self._raw

    def verify(self, message: bytes, signature: bytes) -> None:
        """Return None if ``signature`` (0x61 blob) is valid for ``message``; else raise
        InvalidSignature (UnsupportedFormat if it is not a signature at all)."""
        expect_format(signature, ED25519_SIGNATURE)
        raw = as_bytes(signature, "signature")
        if len(raw) != 1 + _sodium.SIGNATURE_BYTES:
            raise InvalidSignature("signature has the wrong length")
        _sodium.verify_detached(raw[1:], as_bytes(message, "message"), self._raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VerifyKey):
            return NotImplemented
        return self._raw == other._raw

    def __hash__(self) -> int:
        return hash((VerifyKey, self._raw))

    def __repr__(self) -> str:
        return f"VerifyKey({self._raw.hex()[:16]}...)"


class SigningKey:
    """An Ed25519 private key, held as its 32-byte seed (repr hides it; not hashable)."""

    __slots__ = ("_public", "_secret", "_seed")

    def __init__(self, seed: bytes) -> None:
        self._seed = raw_key(seed, _KEY, "signing key seed")
        self._public, self._secret = _sodium.sign_keypair_from_seed(self._seed)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(_sodium.random_bytes(_KEY))

    @classmethod
    def from_bytes(cls, data: bytes) -> SigningKey:
        return cls(unprefixed_key(data, ED25519_SIGNING_KEY, _KEY, "signing key"))

    def to_bytes(self) -> bytes:
        return bytes([ED25519_SIGNING_KEY]) + self._seed

    def verify_key(self) -> VerifyKey:
        return VerifyKey(self._public)

    def sign(self, message: bytes) -> bytes:
        """``0x61 || detached Ed25519 signature`` of ``message``."""
        signature = _sodium.sign_detached(as_bytes(message, "message"), self._secret)
        return bytes([ED25519_SIGNATURE]) + signature

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SigningKey):
            return NotImplemented
        return hmac.compare_digest(self._seed, other._seed)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "SigningKey(<secret>)"
