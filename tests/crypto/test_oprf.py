"""RFC 9497 OPRF (ristretto255-SHA512, mode 0): test vectors, validation, key split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import InvalidInput, _sodium, oprf

VECTORS_FILE = Path(__file__).parent / "vectors" / "rfc9497-oprf-allVectors.json"
SUITES = [
    suite
    for suite in json.loads(VECTORS_FILE.read_text())
    if suite["identifier"] == "ristretto255-SHA512" and suite["mode"] == 0
]
CASES = [(suite, vector) for suite in SUITES for vector in suite["vectors"]]
h = bytes.fromhex
L = oprf.ORDER


def scalar(n: int) -> bytes:
    return (n % L).to_bytes(32, "little")


def test_it_found_the_rfc_vectors() -> None:
    assert len(SUITES) == 1
    assert len(CASES) == 2
    assert h(SUITES[0]["groupDST"]) == b"HashToGroup-" + oprf.CONTEXT_STRING
    assert oprf.CONTEXT_STRING == b"OPRFV1-\x00-ristretto255-SHA512"


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s["identifier"])
def test_it_derives_the_rfc_key_pair(suite: dict) -> None:
    sk, pk = oprf.derive_key_pair(h(suite["seed"]), h(suite["keyInfo"]))
    assert sk.hex() == suite["skSm"]
    assert pk == _sodium.ristretto_scalarmult_base(sk)


@pytest.mark.parametrize(("suite", "vector"), CASES, ids=lambda v: v.get("Input", ""))
def test_it_matches_the_rfc_vectors(suite: dict, vector: dict) -> None:
    assert vector["Batch"] == 1
    sk = h(suite["skSm"])
    message = h(vector["Input"])
    blind, blinded = oprf.blind(message, blind=h(vector["Blind"]))
    assert blind.hex() == vector["Blind"]
    assert blinded.hex() == vector["BlindedElement"]
    evaluated = oprf.blind_evaluate(sk, blinded)
    assert evaluated.hex() == vector["EvaluationElement"]
    assert oprf.finalize(message, blind, evaluated).hex() == vector["Output"]
    assert oprf.evaluate(sk, message).hex() == vector["Output"]


def test_it_expands_messages_like_rfc_9380() -> None:
    # RFC 9380 Appendix K.3, expand_message_xmd(SHA-512).
    dst = b"QUUX-V01-CS02-with-expander-SHA512-256"
    expand = oprf.expand_message_xmd
    assert expand(b"", dst, 0x20).hex() == (
        "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"
    )
    assert expand(b"abc", dst, 0x20).hex() == (
        "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"
    )
    assert expand(b"", dst, 0x80).hex() == (
        "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921"
        "b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e"
        "0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e"
        "b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961"
    )
    for length in (0, 255 * 64 + 1, 0x10000):
        with pytest.raises(InvalidInput):
            expand(b"", dst, length)
    with pytest.raises(InvalidInput):
        expand(b"", b"d" * 256, 64)


@settings(max_examples=30, deadline=None)
@given(message=st.binary(max_size=64))
def test_it_gives_the_same_output_through_two_key_shares(message: bytes) -> None:
    sk = oprf.generate_key()
    k1, k2 = oprf.split_key(sk)
    assert _sodium.scalar_sub(sk, k1) == k2
    blind, blinded = oprf.blind(message)
    combined = oprf.combine_evaluations(
        oprf.blind_evaluate(k1, blinded), oprf.blind_evaluate(k2, blinded)
    )
    output = oprf.finalize(message, blind, combined)
    assert output == oprf.finalize(message, blind, oprf.blind_evaluate(sk, blinded))
    assert output == oprf.evaluate(sk, message)
    assert len(output) == 64
    for share in (k1, k2):
        assert oprf.finalize(message, blind, oprf.blind_evaluate(share, blinded)) != output
    assert oprf.split_key(sk) != (k1, k2)  # k1 is fresh randomness


def test_it_blinds_with_fresh_randomness() -> None:
    first, second = oprf.blind(b"same input"), oprf.blind(b"same input")
    assert first[0] != second[0]
    assert first[1] != second[1]
    sk = oprf.generate_key()
    assert oprf.finalize(b"same input", first[0], oprf.blind_evaluate(sk, first[1])) == (
        oprf.finalize(b"same input", second[0], oprf.blind_evaluate(sk, second[1]))
    )


def test_it_depends_on_the_key_and_the_input() -> None:
    sk, other = oprf.generate_key(), oprf.generate_key()
    assert oprf.evaluate(sk, b"a") != oprf.evaluate(other, b"a")
    assert oprf.evaluate(sk, b"a") != oprf.evaluate(sk, b"b")


VALID_ELEMENT = oprf.hash_to_group(b"element")
BAD_SCALARS = [
    bytes(32),
    L.to_bytes(32, "little"),
    (L + 1).to_bytes(32, "little"),
    b"\xff" * 32,
    bytes(31),
    "s",
]
BAD_ELEMENTS = [bytes(32), b"\xff" * 32, VALID_ELEMENT[:31], VALID_ELEMENT + b"\x00", None]


@pytest.mark.parametrize("bad", BAD_SCALARS)
def test_it_rejects_non_canonical_or_zero_scalars(bad: object) -> None:
    with pytest.raises(InvalidInput):
        oprf.blind_evaluate(bad, VALID_ELEMENT)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        oprf.blind(b"x", blind=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        oprf.split_key(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", BAD_ELEMENTS)
def test_it_rejects_invalid_and_identity_elements(bad: object) -> None:
    sk = oprf.generate_key()
    with pytest.raises(InvalidInput):
        oprf.blind_evaluate(sk, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        oprf.finalize(b"x", sk, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        oprf.combine_evaluations(VALID_ELEMENT, bad)  # type: ignore[arg-type]


def test_it_rejects_evaluations_that_cancel_out() -> None:
    sk = oprf.generate_key()
    negated = scalar(L - int.from_bytes(sk, "little"))
    _, blinded = oprf.blind(b"x")
    with pytest.raises(InvalidInput, match="identity"):
        oprf.combine_evaluations(
            oprf.blind_evaluate(sk, blinded), oprf.blind_evaluate(negated, blinded)
        )


def test_it_limits_input_lengths() -> None:
    sk = oprf.generate_key()
    longest = bytes(0xFFFF)
    blind, blinded = oprf.blind(longest)
    assert oprf.finalize(longest, blind, oprf.blind_evaluate(sk, blinded)) == (
        oprf.evaluate(sk, longest)
    )
    for call in (
        lambda: oprf.blind(bytes(0x10000)),
        lambda: oprf.evaluate(sk, bytes(0x10000)),
        lambda: oprf.finalize(bytes(0x10000), blind, blinded),
        lambda: oprf.blind("text"),  # type: ignore[arg-type]
        lambda: oprf.derive_key_pair(bytes(31), b""),
        lambda: oprf.derive_key_pair(bytes(32), bytes(0x10000)),
    ):
        with pytest.raises(InvalidInput):
            call()
    assert oprf.derive_key_pair(bytes(32), bytes(0xFFFF))[0] != bytes(32)


def test_it_generates_random_non_zero_keys() -> None:
    keys = {oprf.generate_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(0 < int.from_bytes(key, "little") < L for key in keys)


def test_it_retries_derive_key_pair_on_a_zero_scalar(monkeypatch: pytest.MonkeyPatch) -> None:
    real = oprf.hash_to_scalar
    calls: list[bytes] = []

    def zero_first(message: bytes, dst: bytes) -> bytes:
        calls.append(message)
        return bytes(32) if len(calls) == 1 else real(message, dst)

    monkeypatch.setattr(oprf, "hash_to_scalar", zero_first)
    sk, _ = oprf.derive_key_pair(bytes(32), b"info")
    assert [message[-1] for message in calls] == [0, 1]
    assert sk == real(calls[1], b"DeriveKeyPair" + oprf.CONTEXT_STRING)
    monkeypatch.setattr(oprf, "hash_to_scalar", lambda message, dst: bytes(32))
    with pytest.raises(InvalidInput, match="256 attempts"):
        oprf.derive_key_pair(bytes(32), b"info")


def test_it_rejects_inputs_that_hash_to_the_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oprf, "hash_to_group", lambda message: bytes(32))
    with pytest.raises(InvalidInput, match="identity"):
        oprf.blind(b"x")
    with pytest.raises(InvalidInput, match="identity"):
        oprf.evaluate(oprf.generate_key(), b"x")


def test_it_never_hands_out_a_zero_key_share(monkeypatch: pytest.MonkeyPatch) -> None:
    sk = oprf.generate_key()
    draws = iter([sk, scalar(5)])
    monkeypatch.setattr(_sodium, "scalar_random", lambda: next(draws))
    assert oprf.split_key(sk) == (scalar(5), _sodium.scalar_sub(sk, scalar(5)))


def test_it_checks_an_element_without_evaluating_it() -> None:
    _, blinded = oprf.blind(b"someone")
    assert oprf.check_element(blinded) == blinded
    for bad in (bytes(32), b"\xff" * 32, b"short"):
        with pytest.raises(InvalidInput):
            oprf.check_element(bad)
