"""Shamir sharing over p = 2**256 + 297 with robust reconstruction."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import (
    InvalidInput,
    Reconstruction,
    ReconstructionError,
    Share,
    UnsupportedFormat,
    interpolate_at,
    reconstruct_secret,
    split_secret,
)
from safelight.crypto.shamir import MAX_SUBSETS, PRIME

secrets_ = st.integers(0, PRIME - 1)


def corrupt(share: Share, rng: random.Random) -> Share:
    return Share(share.x, (share.y + rng.randrange(1, PRIME)) % PRIME)


def test_it_uses_a_prime_field() -> None:
    assert PRIME == 2**256 + 297
    # Miller-Rabin with the first 20 prime bases (a probable-prime check, error < 4**-20).
    d, s = PRIME - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for base in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71):
        x = pow(base, d, PRIME)
        if x in (1, PRIME - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, PRIME)
            if x == PRIME - 1:
                break
        else:
            pytest.fail(f"{base} witnesses that p is composite")


@settings(max_examples=50)
@given(secret=secrets_, threshold=st.integers(1, 5), extra=st.integers(0, 3), data=st.data())
def test_it_reconstructs_from_any_threshold_shares(
    secret: int, threshold: int, extra: int, data: st.DataObject
) -> None:
    shares = split_secret(secret, threshold=threshold, shares=threshold + extra)
    assert [share.x for share in shares] == list(range(1, threshold + extra + 1))
    chosen = data.draw(st.permutations(shares))[:threshold]
    assert reconstruct_secret(chosen, threshold=threshold) == Reconstruction(secret, ())
    assert interpolate_at(chosen, 0) == secret
    assert reconstruct_secret(shares, threshold=threshold).secret == secret


@settings(max_examples=30)
@given(secret=secrets_, seed=st.integers(0, 2**32), threshold=st.sampled_from([2, 3]))
def test_it_flags_one_corrupted_share_among_five(secret: int, seed: int, threshold: int) -> None:
    rng = random.Random(seed)
    shares = split_secret(secret, threshold=threshold, shares=5)
    bad = rng.randrange(5)
    shares[bad] = corrupt(shares[bad], rng)
    result = reconstruct_secret(shares, threshold=threshold)
    assert result.secret == secret
    assert result.rejected == (shares[bad],)


@settings(max_examples=30)
@given(secret=secrets_, seed=st.integers(0, 2**32))
def test_it_flags_two_corrupted_shares_among_seven(secret: int, seed: int) -> None:
    rng = random.Random(seed)
    shares = split_secret(secret, threshold=2, shares=7)
    bad = sorted(rng.sample(range(7), 2))
    for index in bad:
        shares[index] = corrupt(shares[index], rng)
    result = reconstruct_secret(shares, threshold=2)
    assert result.secret == secret
    assert result.rejected == tuple(shares[index] for index in bad)


@settings(max_examples=30)
@given(secret=secrets_, seed=st.integers(0, 2**32), threshold=st.sampled_from([2, 3]))
def test_it_refuses_to_guess_with_two_corrupted_among_five(
    secret: int, seed: int, threshold: int
) -> None:
    # 2a >= n + t fails (2*3 < 5 + 2): another polynomial may fit as many shares.
    rng = random.Random(seed)
    shares = split_secret(secret, threshold=threshold, shares=5)
    for index in rng.sample(range(5), 2):
        shares[index] = corrupt(shares[index], rng)
    with pytest.raises(ReconstructionError, match="do not agree"):
        reconstruct_secret(shares, threshold=threshold)


def test_it_refuses_an_ambiguous_split_vote() -> None:
    # Four shares, threshold 2: two lie on one line, two on another.  No unique answer.
    first = split_secret(111, threshold=2, xs=[1, 2])
    second = split_secret(222, threshold=2, xs=[3, 4])
    with pytest.raises(ReconstructionError):
        reconstruct_secret(first + second, threshold=2)


def test_it_detects_but_cannot_correct_one_error_in_threshold_plus_one() -> None:
    shares = split_secret(7, threshold=3, shares=4)
    assert reconstruct_secret(shares, threshold=3) == Reconstruction(7, ())
    shares[0] = Share(shares[0].x, (shares[0].y + 1) % PRIME)
    with pytest.raises(ReconstructionError):
        reconstruct_secret(shares, threshold=3)


def test_it_cannot_tell_with_exactly_threshold_shares() -> None:
    shares = split_secret(7, threshold=3, shares=3)
    shares[0] = Share(shares[0].x, (shares[0].y + 1) % PRIME)
    assert reconstruct_secret(shares, threshold=3).secret != 7


def test_it_splits_at_chosen_xs() -> None:
    shares = split_secret(99, threshold=2, xs=[5, PRIME - 1, 77])
    assert [share.x for share in shares] == [5, PRIME - 1, 77]
    assert split_secret(99, threshold=2, shares=3, xs=[5, 6, 7])[0].x == 5
    for pair in combinations(shares, 2):
        assert reconstruct_secret(list(pair), threshold=2).secret == 99
    assert split_secret(PRIME - 1, threshold=1, shares=2)[1] == Share(2, PRIME - 1)


def test_it_interpolates_anywhere() -> None:
    shares = split_secret(5, threshold=3, shares=3)
    extra = split_secret(5, threshold=3, xs=[1, 2, 3, 10])
    assert interpolate_at(extra[:3], 10) == extra[3].y
    assert interpolate_at(shares, shares[1].x) == shares[1].y
    with pytest.raises(ReconstructionError):
        interpolate_at([], 0)
    for bad in (-1, PRIME, 1.0):
        with pytest.raises(InvalidInput):
            interpolate_at(shares, bad)  # type: ignore[arg-type]


def test_it_serialises_shares() -> None:
    share = split_secret(12345, threshold=2, shares=2)[0]
    blob = share.to_bytes()
    assert blob[0] == 0x81
    assert len(blob) == 67
    assert Share.from_bytes(blob) == share
    assert str(share.y) not in repr(share)
    with pytest.raises(UnsupportedFormat, match=r"Shamir share \(0x81\)"):
        Share.from_bytes(b"\x11" + blob[1:])
    with pytest.raises(InvalidInput):
        Share.from_bytes(blob[:-1])
    with pytest.raises(InvalidInput):
        Share.from_bytes(b"\x81" + bytes(66))  # x = 0
    with pytest.raises(InvalidInput):
        Share.from_bytes(b"\x81" + (1).to_bytes(33, "big") + PRIME.to_bytes(33, "big"))


@pytest.mark.parametrize(
    ("x", "y"), [(0, 1), (PRIME, 1), (1, -1), (1, PRIME), (True, 1), (1, 1.0)]
)
def test_it_rejects_out_of_field_shares(x: object, y: object) -> None:
    with pytest.raises(InvalidInput):
        Share(x, y)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"secret": -1, "threshold": 2, "shares": 3},
        {"secret": PRIME, "threshold": 2, "shares": 3},
        {"secret": 1, "threshold": 0, "shares": 3},
        {"secret": 1, "threshold": 2.0, "shares": 3},
        {"secret": 1, "threshold": 4, "shares": 3},
        {"secret": 1, "threshold": 2},
        {"secret": 1, "threshold": 2, "shares": 2, "xs": [1, 2, 3]},
        {"secret": 1, "threshold": 2, "xs": [1, 1, 2]},
        {"secret": 1, "threshold": 2, "xs": [0, 1]},
        {"secret": 1, "threshold": 2, "xs": [1, PRIME]},
        {"secret": 1, "threshold": 2, "xs": [1, "2"]},
    ],
)
def test_it_rejects_bad_split_arguments(kwargs: dict) -> None:
    with pytest.raises(InvalidInput):
        split_secret(**kwargs)


def test_it_rejects_bad_reconstruction_inputs() -> None:
    shares = split_secret(3, threshold=2, shares=3)
    with pytest.raises(ReconstructionError, match="need 2 shares, got 1"):
        reconstruct_secret(shares[:1], threshold=2)
    with pytest.raises(ReconstructionError, match="same x"):
        reconstruct_secret([shares[0], shares[0], shares[1]], threshold=2)
    for bad in (shares[0], b"\x81", "shares", [shares[0], (2, 3)], 5):
        with pytest.raises(InvalidInput):
            reconstruct_secret(bad, threshold=2)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        reconstruct_secret(shares, threshold=0)
    assert reconstruct_secret(tuple(shares), threshold=2).secret == 3


def test_it_bounds_the_robust_search() -> None:
    # Honest shares: the first subset already fits, however many combinations there are.
    shares = split_secret(3, threshold=10, shares=21)
    assert reconstruct_secret(shares, threshold=10) == Reconstruction(3, ())
    # C(21, 10) = 352716 subsets: too many to try all, so random ones are tried; 2.3% of
    # them avoid the five corrupted shares, so one is found after ~44 tries.
    rng = random.Random(1)
    bad = [corrupt(share, rng) for share in shares[:5]] + shares[5:]
    result = reconstruct_secret(bad, threshold=10)
    assert result.secret == 3
    assert result.rejected == tuple(bad[:5])
    assert MAX_SUBSETS == 10_000


def test_it_gives_up_after_max_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("safelight.crypto.shamir.MAX_SUBSETS", 3)
    shares = split_secret(3, threshold=2, shares=5)
    rng = random.Random(2)
    shares[0], shares[1] = corrupt(shares[0], rng), corrupt(shares[1], rng)
    with pytest.raises(ReconstructionError, match="do not agree"):
        reconstruct_secret(shares, threshold=2)
