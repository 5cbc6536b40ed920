"""Format bytes: the first byte of every output of safelight.crypto.

High nibble = kind of object, low nibble = version of its layout (all version 1 now).  A new
layout gets a new byte; old bytes keep opening, so stored data never needs a flag day.
"""

from __future__ import annotations

from .errors import UnsupportedFormat

__all__ = [
    "ED25519_SIGNATURE",
    "ED25519_SIGNING_KEY",
    "ED25519_VERIFY_KEY",
    "ESCROW_SHARE",
    "FIELD_CIPHERTEXT",
    "FORMAT_NAMES",
    "LOCKER_LOOKUP_ID",
    "MERKLE_COMPACT_RANGE",
    "RECEIPT_LOOKUP_ID",
    "RECOVERY_WRAPPED_KEY",
    "SEALED_BOX",
    "SHAMIR_SHARE",
    "STREAM",
    "WRAPPED_PRIVATE_KEY",
    "X25519_PRIVATE_KEY",
    "X25519_PUBLIC_KEY",
    "expect_format",
]

FIELD_CIPHERTEXT = 0x11
SEALED_BOX = 0x21
WRAPPED_PRIVATE_KEY = 0x31
RECOVERY_WRAPPED_KEY = 0x32
STREAM = 0x41
RECEIPT_LOOKUP_ID = 0x51
LOCKER_LOOKUP_ID = 0x52
ED25519_SIGNATURE = 0x61
ED25519_SIGNING_KEY = 0x62
ED25519_VERIFY_KEY = 0x63
X25519_PUBLIC_KEY = 0x71
X25519_PRIVATE_KEY = 0x72
SHAMIR_SHARE = 0x81
ESCROW_SHARE = 0x82
MERKLE_COMPACT_RANGE = 0x91

FORMAT_NAMES: dict[int, str] = {
    FIELD_CIPHERTEXT: "field ciphertext",
    SEALED_BOX: "sealed box",
    WRAPPED_PRIVATE_KEY: "password-wrapped private key",
    RECOVERY_WRAPPED_KEY: "recovery-wrapped private key",
    STREAM: "encrypted stream",
    RECEIPT_LOOKUP_ID: "receipt lookup id",
    LOCKER_LOOKUP_ID: "evidence locker lookup id",
    ED25519_SIGNATURE: "Ed25519 signature",
    ED25519_SIGNING_KEY: "Ed25519 signing key",
    ED25519_VERIFY_KEY: "Ed25519 verify key",
    X25519_PUBLIC_KEY: "X25519 public key",
    X25519_PRIVATE_KEY: "X25519 private key",
    SHAMIR_SHARE: "Shamir share",
    ESCROW_SHARE: "escrow share",
    MERKLE_COMPACT_RANGE: "Merkle compact range",
}


def describe(format_byte: int) -> str:
    """Name a format byte for error messages, e.g. ``"sealed box (0x21)"``."""
    name = FORMAT_NAMES.get(format_byte, "unknown format")
    return f"{name} (0x{format_byte:02x})"


def expect_format(blob: object, expected: int) -> None:
    """Raise UnsupportedFormat unless ``blob`` is bytes starting with ``expected``."""
    wanted = describe(expected)
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise UnsupportedFormat(f"expected {wanted} as bytes, found {type(blob).__name__}")
    if len(blob) == 0:
        raise UnsupportedFormat(f"expected {wanted}, found empty input")
    if blob[0] != expected:
        raise UnsupportedFormat(f"expected {wanted}, found {describe(blob[0])}")
