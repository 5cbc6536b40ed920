"""Argon2id parameters, shared by password-wrapped keys and receipts."""

from __future__ import annotations

from dataclasses import dataclass

from . import _sodium
from .errors import InvalidInput

__all__ = ["DEFAULT_ARGON2", "MAX_MEMLIMIT", "MAX_OPSLIMIT", "Argon2Params"]

# Ceilings: a stored blob names its own parameters, so without a ceiling a tampered header
# could make the server spend hours or all its memory before authentication fails.
MAX_OPSLIMIT = 64
MAX_MEMLIMIT = 4 * 1024 * 1024 * 1024


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
