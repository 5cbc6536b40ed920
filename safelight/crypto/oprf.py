"""RFC 9497 OPRF, suite ristretto255-SHA512, mode OPRF (0x00).

An oblivious PRF lets a client learn ``F(sk, input)`` while the key holder learns nothing
about ``input`` and the client learns nothing about ``sk``::

    client: blind, blinded = blind(input)            -> sends blinded
    server: evaluated = blind_evaluate(sk, blinded)  -> sends evaluated
    client: output = finalize(input, blind, evaluated)   (64 bytes)

Key split: ``split_key(sk)`` gives ``k1 + k2 = sk (mod L)``.  Two key services each hold one
share and evaluate the same blinded element; ``combine_evaluations`` adds their answers
(``k1*B + k2*B = sk*B``), and finalize gives exactly the single-key output.  Neither service
alone can compute any output.  ``evaluate(sk, input)`` is the single-key output computed
directly (``SHA-512`` over ``input`` and ``sk * HashToGroup(input)``, the same value
``finalize`` returns), for tests and for code that holds the whole key in memory.

Scalars are 32 bytes little-endian, canonical (< L) and non-zero; group elements are 32-byte
canonical ristretto255 encodings, never the identity.  Anything else raises InvalidInput.
"""

from __future__ import annotations

import hashlib
import hmac

from . import _sodium
from .errors import InvalidInput
from .inputs import as_bytes

__all__ = [
    "CONTEXT_STRING",
    "ORDER",
    "blind",
    "blind_evaluate",
    "check_element",
    "combine_evaluations",
    "derive_key_pair",
    "evaluate",
    "finalize",
    "generate_key",
    "hash_to_group",
    "hash_to_scalar",
    "split_key",
]

# Order of the ristretto255 group.
ORDER = 2**252 + 27742317777372353535851937790883648493
CONTEXT_STRING = b"OPRFV1-" + (0).to_bytes(1, "big") + b"-ristretto255-SHA512"
_HASH_TO_GROUP_DST = b"HashToGroup-" + CONTEXT_STRING
_HASH_TO_SCALAR_DST = b"HashToScalar-" + CONTEXT_STRING
_DERIVE_KEY_PAIR_DST = b"DeriveKeyPair" + CONTEXT_STRING
_IDENTITY = bytes(32)
_SHA512_BYTES = 64
_SHA512_BLOCK = 128
_MAX_INPUT = 0xFFFF
SEED_BYTES = 32


def _i2osp(value: int, length: int) -> bytes:
    return value.to_bytes(length, "big")


def expand_message_xmd(message: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 §5.3.1 expand_message_xmd with SHA-512."""
    ell = -(-length // _SHA512_BYTES)
    if not 1 <= length <= 0xFFFF or ell > 255:
        raise InvalidInput("expand_message_xmd length out of range")
    if len(dst) > 255:
        raise InvalidInput("domain separation tag longer than 255 bytes")
    dst_prime = dst + _i2osp(len(dst), 1)
    b0 = hashlib.sha512(
        bytes(_SHA512_BLOCK) + message + _i2osp(length, 2) + b"\x00" + dst_prime
    ).digest()
    block = hashlib.sha512(b0 + b"\x01" + dst_prime).digest()
    uniform = [block]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, block, strict=True))
        block = hashlib.sha512(mixed + _i2osp(i, 1) + dst_prime).digest()
        uniform.append(block)
    return b"".join(uniform)[:length]


def hash_to_group(message: bytes) -> bytes:
    """HashToGroup: ristretto255 from 64 uniform bytes (RFC 9497 §4.1)."""
    return _sodium.ristretto_from_hash(expand_message_xmd(message, _HASH_TO_GROUP_DST, 64))


def hash_to_scalar(message: bytes, dst: bytes = _HASH_TO_SCALAR_DST) -> bytes:
    """HashToScalar: 64 uniform bytes reduced mod L, little-endian (RFC 9497 §4.1)."""
    return _sodium.scalar_reduce(expand_message_xmd(message, dst, 64))


def _scalar(value: object, what: str) -> bytes:
    raw = as_bytes(value, what)
    if len(raw) != _sodium.SCALAR_BYTES:
        raise InvalidInput(f"{what} must be a {_sodium.SCALAR_BYTES}-byte scalar")
    number = int.from_bytes(raw, "little")
    if number == 0 or number >= ORDER:
        raise InvalidInput(f"{what} must be a canonical non-zero scalar")
    return raw


def _element(value: object, what: str) -> bytes:
    raw = as_bytes(value, what)
    if not _sodium.ristretto_is_valid(raw):
        raise InvalidInput(f"{what} is not a canonical ristretto255 element")
    if hmac.compare_digest(raw, _IDENTITY):
        raise InvalidInput(f"{what} is the identity element")
    return raw


def check_element(value: object) -> bytes:
    """``value`` if it is a canonical ristretto255 element other than the identity (what a key
    service may evaluate or answer), else InvalidInput."""
    return _element(value, "element")


def _input(value: object) -> bytes:
    raw = as_bytes(value, "input")
    if len(raw) > _MAX_INPUT:
        raise InvalidInput(f"OPRF input must be at most {_MAX_INPUT} bytes")
    return raw


def derive_key_pair(seed: bytes, info: bytes) -> tuple[bytes, bytes]:
    """RFC 9497 §3.2.1 DeriveKeyPair: (skS, pkS) from a 32-byte seed and key info."""
    seed_bytes = as_bytes(seed, "seed")
    if len(seed_bytes) != SEED_BYTES:
        raise InvalidInput(f"seed must be {SEED_BYTES} bytes")
    info_bytes = as_bytes(info, "info")
    if len(info_bytes) > _MAX_INPUT:
        raise InvalidInput(f"info must be at most {_MAX_INPUT} bytes")
    derive_input = seed_bytes + _i2osp(len(info_bytes), 2) + info_bytes
    for counter in range(256):
        secret = hash_to_scalar(derive_input + _i2osp(counter, 1), _DERIVE_KEY_PAIR_DST)
        if secret != bytes(32):
            return secret, _sodium.ristretto_scalarmult_base(secret)
    raise InvalidInput("DeriveKeyPair found no non-zero scalar in 256 attempts")


def generate_key() -> bytes:
    """A random non-zero OPRF secret key (scalar)."""
    return _sodium.scalar_random()


def blind(input: bytes, *, blind: bytes | None = None) -> tuple[bytes, bytes]:
    """Return (blind, blinded_element).  Pass ``blind`` only to reproduce test vectors."""
    message = _input(input)
    factor = _sodium.scalar_random() if blind is None else _scalar(blind, "blind")
    point = hash_to_group(message)
    if hmac.compare_digest(point, _IDENTITY):  # RFC 9497 InvalidInputError
        raise InvalidInput("input hashes to the identity element")
    return factor, _sodium.ristretto_scalarmult(factor, point)


def blind_evaluate(sk: bytes, blinded_element: bytes) -> bytes:
    """Server side: ``sk * blinded_element``."""
    return _sodium.ristretto_scalarmult(
        _scalar(sk, "key"), _element(blinded_element, "blinded element")
    )


def _finalize_hash(message: bytes, unblinded: bytes) -> bytes:
    return hashlib.sha512(
        _i2osp(len(message), 2) + message + _i2osp(len(unblinded), 2) + unblinded
        + b"Finalize"
    ).digest()


def finalize(input: bytes, blind: bytes, evaluated_element: bytes) -> bytes:
    """Client side: unblind and hash; the 64-byte OPRF output (RFC 9497 §3.3.1)."""
    message = _input(input)
    inverse = _sodium.scalar_invert(_scalar(blind, "blind"))
    unblinded = _sodium.ristretto_scalarmult(
        inverse, _element(evaluated_element, "evaluated element")
    )
    return _finalize_hash(message, unblinded)


def evaluate(sk: bytes, input: bytes) -> bytes:
    """The OPRF output of ``input`` under ``sk``, computed directly (no blinding)."""
    message = _input(input)
    point = hash_to_group(message)
    if hmac.compare_digest(point, _IDENTITY):
        raise InvalidInput("input hashes to the identity element")
    return _finalize_hash(message, _sodium.ristretto_scalarmult(_scalar(sk, "key"), point))


def split_key(sk: bytes) -> tuple[bytes, bytes]:
    """Split ``sk`` into two non-zero shares with ``k1 + k2 = sk (mod L)``; k1 is random."""
    secret = _scalar(sk, "key")
    while True:
        first = _sodium.scalar_random()
        second = _sodium.scalar_sub(secret, first)
        if second != bytes(32):
            return first, second


def combine_evaluations(first: bytes, second: bytes) -> bytes:
    """Add the two key shares' evaluations of one blinded element."""
    total = _sodium.ristretto_add(
        _element(first, "evaluated element"), _element(second, "evaluated element")
    )
    return _element(total, "combined evaluation")
