"""Reporter receipts: the only way back to an anonymous report.

A receipt is 28 decimal digits shown as 7 groups of 4.  The first 27 are uniformly random
(27 * log2(10) = 89.7 bits); the 28th is a Damm check digit, which catches every single-digit
typo and every swap of two adjacent digits before any database lookup or Argon2id run.
Digits are the same in every language, easy to read aloud, and typed on a phone's numeric
keypad; ``normalize_receipt`` also accepts other scripts' digits and common separators.

One Argon2id run (with a per-deployment salt made from a secret pepper) turns a receipt into a
64-byte master secret, and keyed BLAKE2b splits that into two independent values: the lookup
id that the database stores and indexes, and the reporter key that encrypts what only the
reporter may read.  The database holds neither the receipt nor the reporter key.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass, field

from .argon2 import Argon2Params, derive_peppered
from .errors import InvalidReceipt
from .formats import RECEIPT_LOOKUP_ID, expect_format
from .inputs import as_bytes

__all__ = [
    "RECEIPT_ARGON2",
    "RECEIPT_DIGITS",
    "ReceiptKeys",
    "derive_receipt_keys",
    "format_receipt",
    "generate_receipt",
    "lookup_ids_equal",
    "normalize_receipt",
    "receipts_equal",
]

RECEIPT_DIGITS = 28
GROUP = 4
RECEIPT_ARGON2 = Argon2Params(opslimit=2, memlimit=64 * 1024 * 1024)

# Damm's totally anti-symmetric quasigroup of order 10 (zero diagonal).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Letters people type for digits that look like them.
_CONFUSABLE = {"O": "0", "o": "0", "I": "1", "i": "1", "l": "1", "L": "1"}
# Skipped anywhere: whitespace, dashes (Pd), connectors such as "_" (Pc), invisible format
# characters such as direction marks (Cf), and these dots, commas and slashes.
_SKIPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Pd", "Pc", "Cf"})
_SKIPPED_CHARACTERS = frozenset(".,:/'\u00b7\u2019\u2022\u3001\u3002\u060c\u066b\u066c")


def damm_check_digit(digits: str) -> int:
    """The Damm check digit of a string of ASCII digits (0 when a valid check is included)."""
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][ord(digit) - 48]
    return interim


@dataclass(frozen=True)
class ReceiptKeys:
    """What a receipt derives: the stored ``lookup_id`` (0x51 || 32 bytes) and the secret
    32-byte ``reporter_key`` (never stored; kept out of repr)."""

    lookup_id: bytes
    reporter_key: bytes = field(repr=False)


def generate_receipt() -> str:
    """A new receipt in grouped form, e.g. ``"4821 0937 ... 5502"``."""
    body = "".join(str(secrets.randbelow(10)) for _ in range(RECEIPT_DIGITS - 1))
    return _group(body + str(damm_check_digit(body)))


def _group(digits: str) -> str:
    return " ".join(digits[i : i + GROUP] for i in range(0, len(digits), GROUP))


def normalize_receipt(text: str) -> str:
    """Return the 28 bare ASCII digits of a receipt as typed, or raise InvalidReceipt.

    NFKC first; then any Unicode decimal digit counts (Arabic-Indic, Devanagari, full-width,
    ...), O/o read as 0 and I/i/l/L as 1, and separators are dropped.  Messages name
    positions, never the digits themselves.
    """
    if not isinstance(text, str):
        raise InvalidReceipt("a receipt must be text")
    digits: list[str] = []
    for position, char in enumerate(unicodedata.normalize("NFKC", text), start=1):
        if char in _CONFUSABLE:
            digits.append(_CONFUSABLE[char])
            continue
        value = unicodedata.decimal(char, None)
        if value is not None:
            digits.append(chr(48 + value))
        elif not (
            char.isspace()
            or char in _SKIPPED_CHARACTERS
            or unicodedata.category(char) in _SKIPPED_CATEGORIES
        ):
            raise InvalidReceipt(
                f"character {position} of the receipt is not a digit; a receipt has only "
                "digits"
            )
    if len(digits) != RECEIPT_DIGITS:
        raise InvalidReceipt(
            f"a receipt has {RECEIPT_DIGITS} digits; this one has {len(digits)}"
        )
    bare = "".join(digits)
    if damm_check_digit(bare) != 0:
        raise InvalidReceipt(
            "the receipt has a typo (its check digit does not match): compare each group "
            "of four digits with the receipt you wrote down"
        )
    return bare


def format_receipt(digits: str) -> str:
    """Grouped form (7 groups of 4 separated by spaces) of a receipt in any accepted form."""
    return _group(normalize_receipt(digits))


def receipts_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two receipts after normalisation (raises InvalidReceipt
    if either is malformed)."""
    return hmac.compare_digest(normalize_receipt(a).encode(), normalize_receipt(b).encode())


def lookup_ids_equal(a: bytes, b: bytes) -> bool:
    """Constant-time comparison of two lookup ids."""
    for value in (a, b):
        expect_format(value, RECEIPT_LOOKUP_ID)
    return hmac.compare_digest(as_bytes(a, "lookup id"), as_bytes(b, "lookup id"))


def derive_receipt_keys(
    receipt: str, pepper: bytes, *, params: Argon2Params = RECEIPT_ARGON2
) -> ReceiptKeys:
    """Derive the lookup id and reporter key of a receipt (one Argon2id run).

    ``pepper`` is a deployment secret of 32 to 64 bytes kept outside the database.
    """
    digits = normalize_receipt(receipt)
    lookup, reporter = derive_peppered(
        digits.encode("ascii"), pepper, params,
        salt_label=b"safelight receipt salt",
        lookup_label=b"safelight receipt lookup id v1",
        key_label=b"safelight receipt reporter key v1",
    )
    return ReceiptKeys(lookup_id=bytes([RECEIPT_LOOKUP_ID]) + lookup, reporter_key=reporter)
