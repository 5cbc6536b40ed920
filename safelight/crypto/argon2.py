"""Argon2id: its parameters, shared by password-wrapped keys, receipts and locker passphrases,
and the peppered derivation that receipts and passphrases share."""

from __future__ import annotations

from dataclasses import dataclass

from . import _sodium
from .errors import InvalidInput
from .inputs import as_bytes

__all__ = [
    "DEFAULT_ARGON2",
    "MAX_MEMLIMIT",
    "MAX_OPSLIMIT",
    "PEPPER_MAX_BYTES",
    "PEPPER_MIN_BYTES",
    "Argon2Params",
    "derive_peppered",
]

# Ceilings: a stored blob names its own parameters, so without a ceiling a tampered header
# could make the server spend hours or all its memory before authentication fails.
MAX_OPSLIMIT = 64
MAX_MEMLIMIT = 4 * 1024 * 1024 * 1024
# The deployment's pepper keys BLAKE2b, which takes at most 64 bytes.
PEPPER_MIN_BYTES = 32
PEPPER_MAX_BYTES = _sodium.GENERICHASH_KEY_MAX


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost: ``opslimit`` passes over ``memlimit`` bytes of memory."""

    opslimit: int = 3
    memlimit: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        _check("opslimit", self.opslimit, _sodium.PWHASH_OPSLIMIT_MIN, MAX_OPSLIMIT)
        _check("memlimit", self.memlimit, _sodium.PWHASH_MEMLIMIT_MIN, MAX_MEMLIMIT)

    def derive(self, secret: bytes, salt: bytes, size: int) -> bytes:
        """Run Argon2id13 over ``secret`` with a 16-byte ``salt``."""
        return _sodium.argon2id(size, secret, salt, self.opslimit, self.memlimit)


def _check(name: str, value: object, low: int, high: int) -> None:
    if type(value) is not int or not low <= value <= high:
        raise InvalidInput(f"Argon2id {name} must be an int from {low} to {high}")


DEFAULT_ARGON2 = Argon2Params()


def derive_peppered(
    secret: bytes,
    pepper: bytes,
    params: Argon2Params,
    *,
    salt_label: bytes,
    lookup_label: bytes,
    key_label: bytes,
) -> tuple[bytes, bytes]:
    """Two independent 32-byte values, ``(lookup, key)``, from one Argon2id run over ``secret``.

    The salt is keyed BLAKE2b of ``salt_label`` under ``pepper``, a deployment secret of 32 to
    64 bytes kept outside the database; keyed BLAKE2b of ``lookup_label`` and ``key_label``
    under the 64-byte Argon2id output splits it in two.  Different labels keep apart the
    derivations that share the pepper (receipts, locker passphrases).
    """
    secret_pepper = as_bytes(pepper, "pepper")
    if not PEPPER_MIN_BYTES <= len(secret_pepper) <= PEPPER_MAX_BYTES:
        raise InvalidInput(
            f"pepper must be {PEPPER_MIN_BYTES} to {PEPPER_MAX_BYTES} bytes, "
            f"got {len(secret_pepper)}"
        )
    if not isinstance(params, Argon2Params):
        raise InvalidInput("params must be an Argon2Params")
    salt = _sodium.blake2b(salt_label, key=secret_pepper, size=16)
    master = params.derive(secret, salt, 64)
    lookup = _sodium.blake2b(lookup_label, key=master, size=32)
    key = _sodium.blake2b(key_label, key=master, size=32)
    return lookup, key
