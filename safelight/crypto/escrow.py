"""Matching escrow: Callisto's entries (Rajan et al., ACM COMPASS 2018) on an RFC 9497 OPRF.

A reporter names a person; the identifier, canonicalised, goes through the split-key OPRF and
gives ``P̂`` (64 bytes) that nobody can compute without both key services.  From ``P̂``::

    (a, k, π) = HKDF-SHA512(P̂)          same for everyone who names the same person
    U = H(reporter id)                   different for every reporter
    s = a·U + k  (mod p)                 a point on the line with slope a through (0, k)

The entry's data (the held report's keys and where it lives) is sealed under a random entry key
``k_e``; ``k_e`` is sealed under ``k``; ``(U, s, sealed k_e)`` is sealed to each escrow
counsellor's public key; ``π`` is stored in clear as the match index.

Two reporters who name the same person hold two different points of the same line, and two
points give its intercept ``k`` (Shamir with threshold 2).  One entry alone gives nothing: ``s``
is ``k`` masked by ``a·U``.  The counsellor opens the shares with their private key and calls
``recover_entries``, which accepts a ``k`` only if it opens the entry keys of at least two
different reporters; an entry that does not open under it is flagged and its data never read,
so a forged or damaged share cannot release anything.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from .errors import DecryptionError, InvalidInput
from .fields import generate_key, open_field, seal_field
from .formats import ESCROW_SHARE, expect_format
from .inputs import as_bytes, text
from .keys import PrivateKey, PublicKey, open_sealed, seal_to
from .shamir import PRIME, Share, interpolate_at

__all__ = [
    "OPRF_OUTPUT_BYTES",
    "EntryKeys",
    "HeldEntry",
    "OpenedShare",
    "Recovery",
    "SealedEntry",
    "derive_entry_keys",
    "open_share",
    "oprf_input",
    "recover_entries",
    "reporter_point",
    "seal_entry",
]

OPRF_OUTPUT_BYTES = 64
VERSION = "safelight-escrow/v1"
PURPOSE = "escrow"
_KDF_SALT = b"safelight-escrow/v1 kdf"
_REPORTER_DST = b"safelight-escrow/v1 reporter\x00"
_KEY_BYTES = 32
_SHARE_BYTES = len(Share(1, 0).to_bytes())


def oprf_input(namespace: str, canonical: str) -> bytes:
    """What goes into the OPRF: the version, the organisation's namespace and the canonical
    identifier, one per line (browser and server build the same bytes)."""
    for value, what in ((namespace, "namespace"), (canonical, "identifier")):
        if not text(value, what) or "\n" in value:
            raise InvalidInput(f"{what} must be a non-empty single line")
    return f"{VERSION}\n{namespace}\n{canonical}".encode()


@dataclass(frozen=True)
class EntryKeys:
    """(a, k, π): the line's slope and intercept (the key), and the public match index."""

    slope: int = field(repr=False)
    key: bytes = field(repr=False)
    match_index: bytes


def _expand(prk: bytes, info: bytes) -> bytes:
    return hmac.new(prk, info + b"\x01", hashlib.sha512).digest()[:_KEY_BYTES]


def derive_entry_keys(oprf_output: bytes) -> EntryKeys:
    """HKDF-SHA512 (RFC 5869) from the OPRF output; the slope is never 0."""
    output = as_bytes(oprf_output, "OPRF output")
    if len(output) != OPRF_OUTPUT_BYTES:
        raise InvalidInput(f"an OPRF output is {OPRF_OUTPUT_BYTES} bytes")
    prk = hmac.new(_KDF_SALT, output, hashlib.sha512).digest()
    slope = int.from_bytes(_expand(prk, b"slope"), "big") % (PRIME - 1) + 1
    return EntryKeys(slope=slope, key=_expand(prk, b"key"),
                     match_index=_expand(prk, b"match-index"))


def reporter_point(reporter_id: str) -> int:
    """U: where this reporter's share sits on the line, in [1, p)."""
    raw = text(reporter_id, "reporter id").encode()
    if not raw:
        raise InvalidInput("reporter id must not be empty")
    return int.from_bytes(hashlib.sha512(_REPORTER_DST + raw).digest(), "big") % (PRIME - 1) + 1


@dataclass(frozen=True)
class SealedEntry:
    """What is stored: π in clear, the data under k_e, one sealed share per counsellor key."""

    match_index: bytes
    sealed_data: bytes
    sealed_shares: tuple[bytes, ...]


def seal_entry(
    *,
    oprf_output: bytes,
    reporter_id: str,
    entry_id: str,
    data: bytes,
    counsellor_keys: Sequence[PublicKey],
) -> SealedEntry:
    if not counsellor_keys:
        raise InvalidInput("an entry needs at least one counsellor key")
    keys = derive_entry_keys(oprf_output)
    x = reporter_point(reporter_id)
    y = (keys.slope * x + int.from_bytes(keys.key, "big")) % PRIME
    entry_key = generate_key()
    sealed_data = seal_field(entry_key, data, purpose=PURPOSE, object_id=entry_id, field="data")
    sealed_entry_key = seal_field(keys.key, entry_key, purpose=PURPOSE, object_id=entry_id,
                                  field="entry-key")
    payload = bytes([ESCROW_SHARE]) + Share(x, y).to_bytes() + sealed_entry_key
    return SealedEntry(
        match_index=keys.match_index,
        sealed_data=sealed_data,
        sealed_shares=tuple(seal_to(key, payload) for key in counsellor_keys),
    )


@dataclass(frozen=True)
class OpenedShare:
    """A counsellor's view of one entry: its point (U, s) and its entry key under k."""

    point: Share
    sealed_entry_key: bytes = field(repr=False)


def open_share(private_key: PrivateKey, blob: bytes) -> OpenedShare:
    payload = open_sealed(private_key, blob)
    expect_format(payload, ESCROW_SHARE)
    point = Share.from_bytes(payload[1 : 1 + _SHARE_BYTES])
    return OpenedShare(point=point, sealed_entry_key=payload[1 + _SHARE_BYTES :])


@dataclass(frozen=True)
class HeldEntry:
    entry_id: str
    share: OpenedShare
    sealed_data: bytes = field(repr=False)


@dataclass(frozen=True)
class Recovery:
    """The data of every entry that fits the reconstructed key; the ids of those that do not."""

    opened: dict[str, bytes] = field(repr=False)
    flagged: tuple[str, ...]


def _open_with(key: bytes, entry: HeldEntry) -> bytes | None:
    try:
        entry_key = open_field(key, entry.share.sealed_entry_key, purpose=PURPOSE,
                               object_id=entry.entry_id, field="entry-key")
        return open_field(entry_key, entry.sealed_data, purpose=PURPOSE,
                          object_id=entry.entry_id, field="data")
    except DecryptionError:
        return None


def _candidate_keys(entries: Sequence[HeldEntry]) -> Iterator[bytes]:
    """k for each pair of entries from different reporters (the line through their points)."""
    for first, second in combinations(entries, 2):
        if first.share.point.x == second.share.point.x:
            continue
        intercept = interpolate_at([first.share.point, second.share.point], 0)
        if intercept < 2 ** (8 * _KEY_BYTES):
            yield intercept.to_bytes(_KEY_BYTES, "big")


def recover_entries(entries: Sequence[HeldEntry]) -> Recovery:
    """Reconstruct k robustly and open every entry that fits it.

    Each pair of points from different reporters proposes a k; a k counts only by the entries it
    actually opens (authenticated encryption, bound to each entry's id), and the k that opens the
    most entries from at least two reporters wins.  Entries it does not open are flagged.  When no
    k opens two reporters' entries, nothing is opened and every entry is flagged.
    """
    ids = [entry.entry_id for entry in entries]
    if len(set(ids)) != len(ids):
        raise InvalidInput("entry ids must be distinct")
    best: dict[str, bytes] = {}
    for key in _candidate_keys(entries):
        opened = {}
        reporters = set()
        for entry in entries:
            data = _open_with(key, entry)
            if data is not None:
                opened[entry.entry_id] = data
                reporters.add(entry.share.point.x)
        if len(reporters) >= 2 and len(opened) > len(best):
            best = opened
            if len(best) == len(entries):
                break
    return Recovery(opened=best, flagged=tuple(i for i in ids if i not in best))
