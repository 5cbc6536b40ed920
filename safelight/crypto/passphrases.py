"""Evidence-locker passphrases: seven words from the EFF's large list, the only way into a locker.

A survivor opens their locker with a passphrase alone (no email, no name). The passphrase is made
by Safelight, never chosen: a chosen one would be guessable, and two people choosing the same
words would open each other's locker. Seven words from 7,772 give 90.4 bits, as much as a
reporter's receipt.

One Argon2id run (salted with a value derived from the deployment's pepper) turns the passphrase
into a 64-byte master secret; keyed BLAKE2b splits it into the lookup id the database stores and
the wrap key that opens the locker key. The database holds neither the passphrase nor the wrap key.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .argon2 import Argon2Params, derive_peppered
from .errors import InvalidPassphrase
from .formats import LOCKER_LOOKUP_ID
from .receipts import RECEIPT_ARGON2

__all__ = [
    "PASSPHRASE_WORDS",
    "LockerKeys",
    "derive_locker_keys",
    "generate_passphrase",
    "normalize_passphrase",
]

PASSPHRASE_WORDS = 7


@cache
def wordlist() -> tuple[str, ...]:
    text = resources.files(__package__).joinpath("wordlists/eff_large_wordlist.txt").read_text(
        encoding="ascii")
    return tuple(text.split())


@cache
def _wordset() -> frozenset[str]:
    return frozenset(wordlist())


@dataclass(frozen=True)
class LockerKeys:
    """What a passphrase derives: the stored ``lookup_id`` (0x52 || 32 bytes) and the secret
    32-byte ``wrap_key`` that opens the locker's key (never stored; kept out of repr)."""

    lookup_id: bytes
    wrap_key: bytes = field(repr=False)


def generate_passphrase() -> str:
    """A new passphrase: seven random words separated by spaces."""
    words = wordlist()
    return " ".join(secrets.choice(words) for _ in range(PASSPHRASE_WORDS))


def normalize_passphrase(text: str) -> str:
    """The passphrase's seven words in lower case, one space apart, or raise InvalidPassphrase.

    Case, accents of the same letters, and separators (spaces, dashes, dots, new lines) do not
    matter. Messages name positions, never the words themselves.
    """
    if not isinstance(text, str):
        raise InvalidPassphrase("a passphrase must be text")
    folded = unicodedata.normalize("NFKD", text).casefold()
    letters = "".join(
        char if "a" <= char <= "z" else " "
        for char in folded
        if not unicodedata.combining(char)
    )
    words = letters.split()
    if len(words) != PASSPHRASE_WORDS:
        raise InvalidPassphrase(
            f"a passphrase has {PASSPHRASE_WORDS} words; this one has {len(words)}"
        )
    known = _wordset()
    for position, word in enumerate(words, start=1):
        if word not in known:
            error = InvalidPassphrase(
                f"word {position} is not one of the passphrase words: check its spelling"
            )
            error.position = position
            raise error
    return " ".join(words)


def derive_locker_keys(
    passphrase: str, pepper: bytes, *, params: Argon2Params = RECEIPT_ARGON2
) -> LockerKeys:
    """Derive the lookup id and wrap key of a passphrase (one Argon2id run).

    ``pepper`` is the deployment secret of 32 to 64 bytes that receipts use as well; the two
    derivations are kept apart by their salts and labels.
    """
    words = normalize_passphrase(passphrase)
    lookup, wrap = derive_peppered(
        words.encode("ascii"), pepper, params,
        salt_label=b"safelight locker salt",
        lookup_label=b"safelight locker lookup id v1",
        key_label=b"safelight locker wrap key v1",
    )
    return LockerKeys(lookup_id=bytes([LOCKER_LOOKUP_ID]) + lookup, wrap_key=wrap)
