"""X25519 key pairs, sealed boxes, and private keys wrapped by a password or a recovery key.

A sealed box (libsodium ``crypto_box_seal``) encrypts to a public key with a fresh ephemeral
key pair: anyone can seal, only the private key opens, and the sender stays anonymous.  The
format byte is written both in front of the box and as the first byte inside it, so a box of
one kind cannot be relabelled as the other (a sealed data key passed off as a recovery-wrapped
private key, or the reverse).
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass

from . import _sodium
from .argon2 import DEFAULT_ARGON2, Argon2Params
from .errors import DecryptionError, InvalidInput
from .formats import (
    RECOVERY_WRAPPED_KEY,
    SEALED_BOX,
    WRAPPED_PRIVATE_KEY,
    X25519_PRIVATE_KEY,
    X25519_PUBLIC_KEY,
    expect_format,
)
from .inputs import as_bytes, raw_key, text, unprefixed_key

__all__ = [
    "DEFAULT_ARGON2",
    "Argon2Params",
    "KeyPair",
    "PrivateKey",
    "PublicKey",
    "needs_rewrap",
    "open_sealed",
    "rewrap_private_key",
    "seal_to",
    "unwrap_private_key",
    "unwrap_recovery",
    "wrap_for_recovery",
    "wrap_private_key",
    "wrapped_params",
]

_RAW = _sodium.X25519_BYTES




class PublicKey:
    """An X25519 public key (32 raw bytes); ``to_bytes()`` is ``0x71 || key``."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw_key(raw, _RAW, "public key")

    @classmethod
    def from_bytes(cls, data: bytes) -> PublicKey:
        return cls(unprefixed_key(data, X25519_PUBLIC_KEY, _RAW, "public key"))

    def to_bytes(self) -> bytes:
        return bytes([X25519_PUBLIC_KEY]) + self._raw

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self._raw == other._raw

    def __hash__(self) -> int:
        return hash((PublicKey, self._raw))

    def __repr__(self) -> str:
        return f"PublicKey({self._raw.hex()[:16]}...)"


class PrivateKey:
    """An X25519 private key (32 raw bytes); ``to_bytes()`` is ``0x72 || key``.

    Its repr never shows the key, equality is constant time, and it is not hashable (so it
    does not end up as a dict key in a log or a cache).
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        self._raw = raw_key(raw, _RAW, "private key")

    @classmethod
    def from_bytes(cls, data: bytes) -> PrivateKey:
        return cls(unprefixed_key(data, X25519_PRIVATE_KEY, _RAW, "private key"))

    def to_bytes(self) -> bytes:
        return bytes([X25519_PRIVATE_KEY]) + self._raw

    def public_key(self) -> PublicKey:
        return PublicKey(_sodium.x25519_base(self._raw))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PrivateKey):
            return NotImplemented
        return hmac.compare_digest(self._raw, other._raw)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "PrivateKey(<secret>)"


@dataclass(frozen=True)
class KeyPair:
    """A matching X25519 public and private key."""

    public_key: PublicKey
    private_key: PrivateKey

    def __post_init__(self) -> None:
        if not isinstance(self.public_key, PublicKey):
            raise InvalidInput("public_key must be a PublicKey")
        if not isinstance(self.private_key, PrivateKey):
            raise InvalidInput("private_key must be a PrivateKey")
        if self.private_key.public_key() != self.public_key:
            raise InvalidInput("public_key does not belong to private_key")

    @classmethod
    def generate(cls) -> KeyPair:
        public, private = _sodium.box_keypair()
        return cls(PublicKey(public), PrivateKey(private))


def _public(key: object) -> PublicKey:
    if not isinstance(key, PublicKey):
        raise InvalidInput(f"expected a PublicKey, got {type(key).__name__}")
    return key


def _private(key: object) -> PrivateKey:
    if not isinstance(key, PrivateKey):
        raise InvalidInput(f"expected a PrivateKey, got {type(key).__name__}")
    return key


def _seal(format_byte: int, payload: bytes, public_key: object) -> bytes:
    tag = bytes([format_byte])
    return tag + _sodium.box_seal(tag + payload, _public(public_key)._raw)


def _open(format_byte: int, blob: object, private_key: object) -> bytes:
    key = _private(private_key)
    expect_format(blob, format_byte)
    data = as_bytes(blob, "sealed box")
    opened = _sodium.box_seal_open(data[1:], key.public_key()._raw, key._raw)
    if opened[:1] != bytes([format_byte]):
        raise DecryptionError("sealed box holds a different kind of payload")
    return opened[1:]


def seal_to(public_key: PublicKey, data: bytes) -> bytes:
    """Encrypt ``data`` (typically a data key) so only ``public_key``'s owner can open it."""
    return _seal(SEALED_BOX, as_bytes(data, "data"), public_key)


def open_sealed(private_key: PrivateKey, blob: bytes) -> bytes:
    """Open a 0x21 sealed box; DecryptionError for the wrong key or a tampered box."""
    return _open(SEALED_BOX, blob, private_key)


# --- recovery ----------------------------------------------------------------------------


def wrap_for_recovery(private_key: PrivateKey, recovery_public_key: PublicKey) -> bytes:
    """Seal a private key to the recovery key: ``0x32 || sealed box``."""
    return _seal(RECOVERY_WRAPPED_KEY, _private(private_key)._raw, recovery_public_key)


def unwrap_recovery(blob: bytes, recovery_private_key: PrivateKey) -> PrivateKey:
    """Open a 0x32 blob with the recovery private key."""
    raw = _open(RECOVERY_WRAPPED_KEY, blob, recovery_private_key)
    if len(raw) != _RAW:
        raise DecryptionError("recovery box does not hold a private key")
    return PrivateKey(raw)


# --- password wrapping -------------------------------------------------------------------

_SALT = _sodium.PWHASH_SALT_BYTES
_HEADER = 1 + 4 + 8 + _SALT
_NONCE_END = _HEADER + _sodium.XNONCE_BYTES
_WRAPPED_SIZE = _NONCE_END + _RAW + _sodium.AEAD_TAG_BYTES


def _password_bytes(password: object) -> bytes:
    normalised = unicodedata.normalize("NFKC", text(password, "password"))
    if not normalised:
        raise InvalidInput("password must not be empty")
    try:
        return normalised.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("password is not valid Unicode text") from None


def _params(params: object) -> Argon2Params:
    if not isinstance(params, Argon2Params):
        raise InvalidInput("params must be an Argon2Params")
    return params


def wrap_private_key(
    private_key: PrivateKey, password: str, *, params: Argon2Params = DEFAULT_ARGON2
) -> bytes:
    """Encrypt a private key under a password-derived key (Argon2id13 + XChaCha20-Poly1305).

    Format: ``0x31 || opslimit (4, BE) || memlimit (8, BE) || salt (16) || nonce (24) ||
    ciphertext (32) || tag (16)``; everything before the nonce is the associated data.
    """
    key = _private(private_key)
    cost = _params(params)
    secret = _password_bytes(password)
    salt = _sodium.random_bytes(_SALT)
    header = (
        bytes([WRAPPED_PRIVATE_KEY])
        + cost.opslimit.to_bytes(4, "big")
        + cost.memlimit.to_bytes(8, "big")
        + salt
    )
    kek = cost.derive(secret, salt, _sodium.KEY_BYTES)
    nonce = _sodium.random_bytes(_sodium.XNONCE_BYTES)
    return _sodium.aead_encrypt(header + nonce, key._raw, header, nonce, kek)


def _parse_wrapped(blob: object) -> tuple[bytes, Argon2Params]:
    expect_format(blob, WRAPPED_PRIVATE_KEY)
    data = as_bytes(blob, "wrapped private key")
    if len(data) != _WRAPPED_SIZE:
        raise DecryptionError("wrapped private key has the wrong length")
    try:
        params = Argon2Params(
            opslimit=int.from_bytes(data[1:5], "big"),
            memlimit=int.from_bytes(data[5:13], "big"),
        )
    except InvalidInput:
        raise DecryptionError("wrapped private key names out-of-range Argon2id costs") from None
    return data, params


def wrapped_params(blob: bytes) -> Argon2Params:
    """The Argon2id costs a wrapped private key was made with (no password needed)."""
    return _parse_wrapped(blob)[1]


def needs_rewrap(blob: bytes, params: Argon2Params = DEFAULT_ARGON2) -> bool:
    """True when the blob's opslimit or memlimit is below ``params`` (rewrap at next login)."""
    stored = wrapped_params(blob)
    wanted = _params(params)
    return stored.opslimit < wanted.opslimit or stored.memlimit < wanted.memlimit


def unwrap_private_key(blob: bytes, password: str) -> PrivateKey:
    """Decrypt a 0x31 blob; DecryptionError for a wrong password or a tampered blob."""
    data, params = _parse_wrapped(blob)
    secret = _password_bytes(password)
    kek = params.derive(secret, data[1 + 4 + 8 : _HEADER], _sodium.KEY_BYTES)
    try:
        raw = _sodium.aead_decrypt(
            data, _NONCE_END, data[:_HEADER], data[_HEADER:_NONCE_END], kek
        )
    except DecryptionError:
        raise DecryptionError("wrong password, or the wrapped key was tampered with") from None
    return PrivateKey(raw)


def rewrap_private_key(
    blob: bytes,
    old_password: str,
    new_password: str,
    *,
    params: Argon2Params = DEFAULT_ARGON2,
) -> bytes:
    """Unwrap with ``old_password`` and wrap again with ``new_password`` at ``params``."""
    return wrap_private_key(unwrap_private_key(blob, old_password), new_password, params=params)
