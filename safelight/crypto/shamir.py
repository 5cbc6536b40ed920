"""Shamir secret sharing over the prime field p = 2**256 + 297, with robust reconstruction.

``split_secret`` hides a secret (an int below p, e.g. a 32-byte key read as an int) as the
constant term of a random polynomial of degree ``threshold - 1`` and hands out its values at
distinct non-zero x.  Any ``threshold`` shares give the secret; fewer give no information.

Reconstruction from more than ``threshold`` shares is robust.  It interpolates through
``threshold``-subsets of the shares and accepts a polynomial only if it agrees with ``a``
shares where ``2a >= n + threshold`` (n = number of shares given): the unique-decoding bound
of the Reed-Solomon code the shares form.  Two different polynomials of degree below
``threshold`` share at most ``threshold - 1`` points, so at most one polynomial can reach that
bound, and the first subset that reaches it is the answer.  If none does, two different
secrets could be consistent with what was submitted, so it raises ReconstructionError instead
of guessing.  Every subset is tried when there are at most MAX_SUBSETS of them; beyond that,
MAX_SUBSETS random subsets, which miss every all-honest subset with probability
``(1 - q) ** MAX_SUBSETS`` for a fraction ``q`` of all-honest subsets.  Shares that do not
fit are returned in ``Reconstruction.rejected`` so the caller can flag them (a broken or
dishonest holder); they are never silently dropped.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from .errors import InvalidInput, ReconstructionError
from .formats import SHAMIR_SHARE, expect_format
from .inputs import as_bytes

__all__ = [
    "MAX_SUBSETS",
    "PRIME",
    "Reconstruction",
    "Share",
    "interpolate_at",
    "reconstruct_secret",
    "split_secret",
]

PRIME = 2**256 + 297
_INT_BYTES = 33
# Robust reconstruction tries every threshold-subset if there are at most this many,
# otherwise this many random ones.
MAX_SUBSETS = 10_000


@dataclass(frozen=True)
class Share:
    """One share: the polynomial's value ``y`` at ``x`` (repr hides ``y``)."""

    x: int
    y: int = field(repr=False)

    def __post_init__(self) -> None:
        if type(self.x) is not int or not 1 <= self.x < PRIME:
            raise InvalidInput("share x must be an int in [1, p)")
        if type(self.y) is not int or not 0 <= self.y < PRIME:
            raise InvalidInput("share y must be an int in [0, p)")

    def to_bytes(self) -> bytes:
        """``0x81 || x (33 bytes, BE) || y (33 bytes, BE)``."""
        return (
            bytes([SHAMIR_SHARE])
            + self.x.to_bytes(_INT_BYTES, "big")
            + self.y.to_bytes(_INT_BYTES, "big")
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Share:
        expect_format(data, SHAMIR_SHARE)
        raw = as_bytes(data, "share")
        if len(raw) != 1 + 2 * _INT_BYTES:
            raise InvalidInput(f"a share is {1 + 2 * _INT_BYTES} bytes, got {len(raw)}")
        x = int.from_bytes(raw[1 : 1 + _INT_BYTES], "big")
        y = int.from_bytes(raw[1 + _INT_BYTES :], "big")
        return cls(x, y)


@dataclass(frozen=True)
class Reconstruction:
    """The reconstructed secret and the shares that did not fit it (to be flagged)."""

    secret: int = field(repr=False)
    rejected: tuple[Share, ...] = ()


def _evaluate(coefficients: Sequence[int], x: int) -> int:
    result = 0
    for coefficient in reversed(coefficients):
        result = (result * x + coefficient) % PRIME
    return result


def _threshold(threshold: object) -> int:
    if type(threshold) is not int or threshold < 1:
        raise InvalidInput("threshold must be a positive int")
    return threshold


def split_secret(
    secret: int,
    *,
    threshold: int,
    shares: int | None = None,
    xs: Sequence[int] | None = None,
) -> list[Share]:
    """Split ``secret`` into shares at ``xs`` (default 1..``shares``), any ``threshold`` of
    which reconstruct it.  Give ``shares``, ``xs``, or both when they agree."""
    if type(secret) is not int or not 0 <= secret < PRIME:
        raise InvalidInput("secret must be an int in [0, p)")
    needed = _threshold(threshold)
    if xs is None:
        if type(shares) is not int:
            raise InvalidInput("give the number of shares or their xs")
        points = list(range(1, shares + 1))
    else:
        points = list(xs)
        if shares is not None and shares != len(points):
            raise InvalidInput("shares does not match the number of xs")
    if any(type(x) is not int or not 1 <= x < PRIME for x in points):
        raise InvalidInput("every x must be an int in [1, p)")
    if len(set(points)) != len(points):
        raise InvalidInput("xs must be distinct")
    if len(points) < needed:
        raise InvalidInput("fewer shares than the threshold")
    coefficients = [secret] + [secrets.randbelow(PRIME) for _ in range(needed - 1)]
    return [Share(x, _evaluate(coefficients, x)) for x in points]


def _check_shares(shares: object) -> list[Share]:
    if isinstance(shares, str | bytes) or not isinstance(shares, Sequence):
        raise InvalidInput("shares must be a sequence of Share")
    items = list(shares)
    if not all(isinstance(share, Share) for share in items):
        raise InvalidInput("shares must be a sequence of Share")
    if len({share.x for share in items}) != len(items):
        raise ReconstructionError("two shares have the same x")
    return items


def _lagrange(points: Sequence[Share], x: int) -> int:
    total = 0
    for i, share in enumerate(points):
        numerator = denominator = 1
        for j, other in enumerate(points):
            if i != j:
                numerator = numerator * (x - other.x) % PRIME
                denominator = denominator * (share.x - other.x) % PRIME
        total = (total + share.y * numerator * pow(denominator, -1, PRIME)) % PRIME
    return total


def _coefficients(points: Sequence[Share]) -> list[int]:
    """Coefficients (constant first) of the polynomial of degree < len(points) through them."""
    product = [1]  # prod (X - x_j), built up one linear factor at a time
    for share in points:
        shifted = [0, *product]
        for k, coefficient in enumerate(product):
            shifted[k] = (shifted[k] - share.x * coefficient) % PRIME
        product = shifted
    result = [0] * len(points)
    for i, share in enumerate(points):
        # basis = product / (X - x_i) by synthetic division; scale by y_i / basis(x_i)
        basis = [0] * len(points)
        carry = 0
        for k in range(len(points), 0, -1):
            carry = (product[k] + carry * share.x) % PRIME
            basis[k - 1] = carry
        denominator = 1
        for j, other in enumerate(points):
            if i != j:
                denominator = denominator * (share.x - other.x) % PRIME
        scale = share.y * pow(denominator, -1, PRIME) % PRIME
        for k, coefficient in enumerate(basis):
            result[k] = (result[k] + scale * coefficient) % PRIME
    return result


def _subsets(items: list[Share], size: int) -> Iterator[tuple[Share, ...]]:
    """Every ``size``-subset when there are at most MAX_SUBSETS of them, else MAX_SUBSETS
    random ones (a fitting subset, once found, is still the unique answer)."""
    if comb(len(items), size) <= MAX_SUBSETS:
        yield from combinations(items, size)
    else:
        rng = secrets.SystemRandom()
        for _ in range(MAX_SUBSETS):
            yield tuple(rng.sample(items, size))


def interpolate_at(shares: Sequence[Share], x: int) -> int:
    """Value at ``x`` of the lowest-degree polynomial through all ``shares``."""
    items = _check_shares(shares)
    if not items:
        raise ReconstructionError("no shares to interpolate")
    if type(x) is not int or not 0 <= x < PRIME:
        raise InvalidInput("x must be an int in [0, p)")
    return _lagrange(items, x)


def reconstruct_secret(shares: Sequence[Share], *, threshold: int) -> Reconstruction:
    """Recover the secret; see the module docstring for the robust case."""
    items = _check_shares(shares)
    needed = _threshold(threshold)
    total = len(items)
    if total < needed:
        raise ReconstructionError(f"need {needed} shares, got {total}")
    if total == needed:
        return Reconstruction(secret=_lagrange(items, 0))
    agreement = -(-(total + needed) // 2)  # smallest a with 2a >= n + t
    for subset in _subsets(items, needed):
        coefficients = _coefficients(subset)
        rejected: list[Share] = []
        for share in items:
            if _evaluate(coefficients, share.x) != share.y:
                rejected.append(share)
                if len(rejected) > total - agreement:
                    break
        else:
            return Reconstruction(secret=coefficients[0], rejected=tuple(rejected))
    raise ReconstructionError(
        "the shares do not agree on one secret (too many of them are wrong to tell which)"
    )
