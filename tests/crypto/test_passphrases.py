import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import InvalidInput, InvalidPassphrase, passphrases
from safelight.crypto.argon2 import Argon2Params
from safelight.crypto.formats import LOCKER_LOOKUP_ID

FAST = Argon2Params(opslimit=1, memlimit=8 * 1024)
PEPPER = bytes(range(32))


def test_it_has_the_eff_list_without_hyphenated_words():
    words = passphrases.wordlist()
    assert len(words) == 7772
    assert len(set(words)) == 7772
    assert all(word.isascii() and word.isalpha() and word.islower() for word in words)
    assert words[0] == "abacus"


def test_it_generates_seven_known_words():
    phrase = passphrases.generate_passphrase()
    words = phrase.split(" ")
    assert len(words) == 7
    assert set(words) <= set(passphrases.wordlist())
    assert passphrases.normalize_passphrase(phrase) == phrase


def test_it_generates_different_passphrases():
    assert len({passphrases.generate_passphrase() for _ in range(20)}) == 20


@pytest.mark.parametrize("typed", [
    "abacus abdomen abdominal abide abiding ability ablaze",
    "Abacus-Abdomen-Abdominal-Abide-Abiding-Ability-Ablaze",
    "  ABACUS\nabdomen. abdominal, abide/abiding ability\tablaze ",
    "ábacus abdomen abdominal abide abiding ability ablaze",
])
def test_it_accepts_any_case_and_separator(typed):
    assert passphrases.normalize_passphrase(typed) == (
        "abacus abdomen abdominal abide abiding ability ablaze")


def test_it_counts_words():
    with pytest.raises(InvalidPassphrase, match="has 7 words; this one has 6"):
        passphrases.normalize_passphrase("abacus abdomen abdominal abide abiding ability")


def test_it_names_the_misspelt_word_by_position_only():
    with pytest.raises(InvalidPassphrase) as caught:
        passphrases.normalize_passphrase("abacus abdomen abdominal abide abidingg ability ablaze")
    assert "word 5" in str(caught.value)
    assert caught.value.position == 5
    assert "abidingg" not in str(caught.value)


def test_it_refuses_what_is_not_text():
    with pytest.raises(InvalidPassphrase):
        passphrases.normalize_passphrase(b"abacus")


def test_it_derives_the_same_keys_from_any_spelling():
    a = passphrases.derive_locker_keys(
        "abacus abdomen abdominal abide abiding ability ablaze", PEPPER, params=FAST)
    b = passphrases.derive_locker_keys(
        "ABACUS-abdomen-abdominal-abide-abiding-ability-ablaze", PEPPER, params=FAST)
    assert a == b
    assert a.lookup_id[0] == LOCKER_LOOKUP_ID and len(a.lookup_id) == 33
    assert len(a.wrap_key) == 32 and a.wrap_key != a.lookup_id[1:]
    assert "wrap_key" not in repr(a)


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=6))
def test_it_derives_different_keys_for_different_words_or_peppers(position):
    words = ["abacus", "abdomen", "abdominal", "abide", "abiding", "ability", "ablaze"]
    base = passphrases.derive_locker_keys(" ".join(words), PEPPER, params=FAST)
    other_words = list(words)
    other_words[position] = "zoom"
    changed = passphrases.derive_locker_keys(" ".join(other_words), PEPPER, params=FAST)
    other_pepper = passphrases.derive_locker_keys(" ".join(words), bytes(32), params=FAST)
    assert len({base.lookup_id, changed.lookup_id, other_pepper.lookup_id}) == 3
    assert len({base.wrap_key, changed.wrap_key, other_pepper.wrap_key}) == 3


def test_it_keeps_locker_and_receipt_derivations_apart():
    from safelight.crypto import derive_receipt_keys, generate_receipt

    keys = passphrases.derive_locker_keys(
        "abacus abdomen abdominal abide abiding ability ablaze", PEPPER, params=FAST)
    receipt = derive_receipt_keys(generate_receipt(), PEPPER, params=FAST)
    assert keys.lookup_id[0] != receipt.lookup_id[0]


@pytest.mark.parametrize("pepper", [bytes(31), bytes(65)])
def test_it_refuses_a_pepper_of_the_wrong_size(pepper):
    with pytest.raises(InvalidInput, match="pepper must be 32 to 64 bytes"):
        passphrases.derive_locker_keys(
            "abacus abdomen abdominal abide abiding ability ablaze", pepper, params=FAST)


def test_it_refuses_params_of_the_wrong_type():
    with pytest.raises(InvalidInput, match="Argon2Params"):
        passphrases.derive_locker_keys(
            "abacus abdomen abdominal abide abiding ability ablaze", PEPPER, params="fast")


def test_it_derives_keys_exactly_as_before():
    # Frozen regression values: a stored locker lookup id must never change meaning, and the
    # wrap key must still open the lockers already made.
    keys = passphrases.derive_locker_keys("abacus " * 7, PEPPER, params=FAST)
    assert keys.lookup_id.hex() == (
        "52cc94fae6de4f6aabecbc4fe26e55d817fefbd302ac71a84a555904d66b873605"
    )
    assert keys.wrap_key.hex() == (
        "555433fa049699be174b372f2e47b64a30fada646066c310aa9a83c3b09fcfcb"
    )
