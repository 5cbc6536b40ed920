"""Reporter receipts: generation, Damm check digit, normalisation, key derivation."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelight.crypto import (
    RECEIPT_ARGON2,
    Argon2Params,
    InvalidInput,
    InvalidReceipt,
    ReceiptKeys,
    UnsupportedFormat,
    _sodium,
    derive_receipt_keys,
    format_receipt,
    generate_receipt,
    lookup_ids_equal,
    normalize_receipt,
    receipts_equal,
)
from safelight.crypto.receipts import _DAMM, damm_check_digit

FAST = Argon2Params(opslimit=1, memlimit=8192)
PEPPER = bytes(range(32))
# 27 digits 1234567890... and their Damm check digit, which happens to be 8.
VALID = "1234567890123456789012345678"
GROUPED = "1234 5678 9012 3456 7890 1234 5678"


def in_digits(zero: int, text: str = GROUPED) -> str:
    """``text`` with its ASCII digits replaced by the script whose zero is ``zero``."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


def test_it_generates_grouped_28_digit_receipts() -> None:
    receipt = generate_receipt()
    assert re.fullmatch(r"\d{4}( \d{4}){6}", receipt)
    assert normalize_receipt(receipt) == receipt.replace(" ", "")
    assert len({generate_receipt() for _ in range(200)}) == 200


def test_it_uses_a_totally_anti_symmetric_quasigroup() -> None:
    digits = range(10)
    assert all(_DAMM[i][i] == 0 for i in digits)
    assert all(sorted(row) == list(digits) for row in _DAMM)
    assert all(sorted(_DAMM[r][c] for r in digits) == list(digits) for c in digits)
    for c in digits:
        for x in digits:
            for y in digits:
                if x != y:
                    assert _DAMM[_DAMM[c][x]][y] != _DAMM[_DAMM[c][y]][x]
    assert damm_check_digit("572") == 4  # the textbook example
    assert damm_check_digit("5724") == 0
    assert damm_check_digit(VALID) == 0


bodies = st.text(alphabet="0123456789", min_size=27, max_size=27)


@given(body=bodies, data=st.data())
def test_it_catches_every_single_digit_typo(body: str, data: st.DataObject) -> None:
    receipt = body + str(damm_check_digit(body))
    assert normalize_receipt(receipt) == receipt
    index = data.draw(st.integers(0, 27))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != receipt[index]]))
    with pytest.raises(InvalidReceipt, match="typo"):
        normalize_receipt(receipt[:index] + wrong + receipt[index + 1 :])


def test_it_catches_every_single_typo_and_adjacent_swap_exhaustively() -> None:
    for index in range(28):
        for digit in "0123456789":
            if digit != VALID[index]:
                with pytest.raises(InvalidReceipt):
                    normalize_receipt(VALID[:index] + digit + VALID[index + 1 :])
    swaps = 0
    for index in range(27):
        a, b = VALID[index], VALID[index + 1]
        if a != b:
            swaps += 1
            with pytest.raises(InvalidReceipt, match="typo"):
                normalize_receipt(VALID[:index] + b + a + VALID[index + 2 :])
    assert swaps == 27


@pytest.mark.parametrize(
    "typed",
    [
        GROUPED,
        "1234-5678-9012-3456-7890-1234-5678",
        "1234.5678.9012.3456.7890.1234.5678",
        "1234_5678_9012_3456_7890_1234_5678\n",
        "  1234\u00a05678\u20099012 3456\t7890 1234 5678 ",
        "\u200f1234 5678 9012 3456 7890 1234 5678\u200e",  # right-to-left / left-to-right marks
        in_digits(0xFF10),  # full-width
        in_digits(0x0660),  # Arabic-Indic
        in_digits(0x06F0),  # Extended Arabic-Indic (Persian, Urdu)
        in_digits(0x0966),  # Devanagari
        in_digits(0x09E6),  # Bengali
        in_digits(0x0E50),  # Thai
        in_digits(0x1D7CE),  # mathematical bold (NFKC folds it)
        "l234 5678 9Ol2 3456 7890 I234 5678",  # letters typed for 1 and 0
        "i234/5678/9o12/3456/7890/L234/5678",
        "1234\u20145678\u20139012\u20103456 \u00b7 7890 \u2022 1234\u30015678",  # dashes, dots
    ],
)
def test_it_normalises_what_people_type(typed: str) -> None:
    assert normalize_receipt(typed) == VALID
    assert format_receipt(typed) == GROUPED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (VALID[:-1], "has 28 digits; this one has 27"),
        (VALID + "0", "has 28 digits; this one has 29"),
        ("", "this one has 0"),
        (VALID[:10] + "x" + VALID[10:], "character 11 of the receipt is not a digit"),
        (VALID[:4] + "+" + VALID[4:], "character 5"),
    ],
)
def test_it_explains_malformed_receipts(typed: str, message: str) -> None:
    with pytest.raises(InvalidReceipt, match=re.escape(message)) as caught:
        normalize_receipt(typed)
    assert VALID[:8] not in str(caught.value)


def test_it_rejects_non_text_receipts() -> None:
    with pytest.raises(InvalidReceipt, match="must be text"):
        normalize_receipt(VALID.encode())  # type: ignore[arg-type]


def test_it_compares_receipts_in_normal_form() -> None:
    assert receipts_equal(GROUPED, in_digits(0x0660, GROUPED.replace(" ", "-")))
    assert not receipts_equal(GROUPED, generate_receipt())
    with pytest.raises(InvalidReceipt):
        receipts_equal(GROUPED, VALID[:-1])


def test_it_derives_independent_lookup_ids_and_reporter_keys() -> None:
    keys = derive_receipt_keys(GROUPED, PEPPER, params=FAST)
    assert isinstance(keys, ReceiptKeys)
    assert keys.lookup_id[0] == 0x51
    assert len(keys.lookup_id) == 33
    assert len(keys.reporter_key) == 32
    assert keys.reporter_key not in keys.lookup_id
    assert keys == derive_receipt_keys(in_digits(0x0660), PEPPER, params=FAST)
    other = derive_receipt_keys(generate_receipt(), PEPPER, params=FAST)
    assert other.lookup_id != keys.lookup_id
    assert other.reporter_key != keys.reporter_key
    peppered = derive_receipt_keys(GROUPED, bytes(32), params=FAST)
    assert peppered.lookup_id != keys.lookup_id
    assert keys.reporter_key.hex() not in repr(keys)


def test_it_derives_keys_exactly_as_documented() -> None:
    # Recompute the documented construction with hashlib's BLAKE2b (libsodium's generichash
    # is plain keyed BLAKE2b) around libsodium's Argon2id.
    salt = hashlib.blake2b(b"safelight receipt salt", key=PEPPER, digest_size=16).digest()
    master = _sodium.argon2id(64, VALID.encode(), salt, FAST.opslimit, FAST.memlimit)
    lookup = hashlib.blake2b(b"safelight receipt lookup id v1", key=master, digest_size=32)
    reporter = hashlib.blake2b(b"safelight receipt reporter key v1", key=master, digest_size=32)
    keys = derive_receipt_keys(VALID, PEPPER, params=FAST)
    assert keys.lookup_id == b"\x51" + lookup.digest()
    assert keys.reporter_key == reporter.digest()
    # Frozen regression value: a stored lookup id must never change meaning.
    assert keys.lookup_id.hex() == (
        "51f0939801301538a86683fa469e6f951c576e056f0cc680601bebb4518fa98b2a"
    )


def test_it_uses_the_documented_receipt_costs() -> None:
    assert (RECEIPT_ARGON2.opslimit, RECEIPT_ARGON2.memlimit) == (2, 64 * 1024 * 1024)


@pytest.mark.parametrize(
    ("pepper", "params"),
    [(bytes(31), FAST), (bytes(65), FAST), ("p" * 32, FAST), (PEPPER, (1, 8192))],
)
def test_it_rejects_bad_derivation_arguments(pepper: object, params: object) -> None:
    with pytest.raises(InvalidInput):
        derive_receipt_keys(VALID, pepper, params=params)  # type: ignore[arg-type]


def test_it_accepts_peppers_from_32_to_64_bytes() -> None:
    assert derive_receipt_keys(VALID, bytes(64), params=FAST).lookup_id[0] == 0x51


def test_it_rejects_an_invalid_receipt_before_any_argon2id() -> None:
    with pytest.raises(InvalidReceipt):
        derive_receipt_keys(VALID[:-1] + "0", PEPPER, params=FAST)


def test_it_compares_lookup_ids_in_constant_time() -> None:
    a = derive_receipt_keys(VALID, PEPPER, params=FAST).lookup_id
    b = derive_receipt_keys(generate_receipt(), PEPPER, params=FAST).lookup_id
    assert lookup_ids_equal(a, bytes(a))
    assert not lookup_ids_equal(a, b)
    with pytest.raises(UnsupportedFormat):
        lookup_ids_equal(a, b"\x11" + a[1:])
