"""The exceptions safelight.crypto raises.

Every failure is an exception: no function here signals failure by returning False or None.
Messages never contain key material, plaintext, passwords or receipt digits, so they are safe
to log.
"""

from __future__ import annotations

__all__ = [
    "CryptoError",
    "DecryptionError",
    "InvalidInput",
    "InvalidPassphrase",
    "InvalidProof",
    "InvalidReceipt",
    "InvalidSignature",
    "ReconstructionError",
    "TruncatedStream",
    "UnsupportedFormat",
]


class CryptoError(Exception):
    """Base class of every exception raised by safelight.crypto."""


class UnsupportedFormat(CryptoError):
    """The first byte of a blob is not the format this function opens."""


class DecryptionError(CryptoError):
    """Authentication failed: wrong key or password, tampering, or wrong associated data."""


class TruncatedStream(DecryptionError):
    """An encrypted stream ended before its final chunk."""


class InvalidSignature(CryptoError):
    """An Ed25519 signature does not verify."""


class InvalidProof(CryptoError):
    """A Merkle inclusion or consistency proof does not verify (the message says which step)."""


class InvalidReceipt(CryptoError):
    """A receipt is malformed: wrong length, stray characters, or a failed check digit."""


class InvalidPassphrase(CryptoError):
    """A locker passphrase is malformed: wrong number of words, or a word not in the list
    (then ``position`` is that word's number, counted from 1)."""

    position: int | None = None


class InvalidInput(CryptoError, ValueError):
    """An argument is unusable: wrong key length, wrong type, out-of-range parameter."""


class ReconstructionError(CryptoError):
    """Shamir shares cannot be combined into one trustworthy secret."""
