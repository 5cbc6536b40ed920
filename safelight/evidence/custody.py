"""The locker's custody log: an RFC 9162 Merkle tree with one leaf per item added, and signed heads.

Each leaf input is the canonical JSON of the item's metadata: {"v": 1, "kind", "id", "added_at",
"salt", "sha256"}. The salt is secret (derived from the locker key and the item id), so a leaf
hash in the database never confirms a guess of a short message; a bundle carries the salts of the
items it exports. Leaf hashes are kept in blocks; the log's compact range is kept on the locker,
so appending a million leaves never reads an old one. After every action the deployment signs a
tree head (SAFELIGHT_EVIDENCE_SIGNING_KEY).

This module holds what is computed and read: leaf inputs and salts, the signing key, the stored
leaf hashes, heads and proofs. What writes the log (its blocks, its range on the locker, the
signed heads) is safelight.evidence.custody_actions.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safelight.crypto import SigningKey, merkle
from safelight.evidence.models import LeafBlock, Locker, TreeHead

LEAF_VERSION = 1


class LogDamaged(Exception):
    """The stored leaf hashes do not give the signed root: the database was changed."""


def iso(moment: datetime.datetime) -> str:
    """A UTC time as the log writes it: 2026-11-22T10:41:05.123Z."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def salt_key(locker_key: bytes) -> bytes:
    """The key from which every item's secret salt is derived (salt_for)."""
    return hashlib.blake2b(locker_key, digest_size=32, person=b"sl-leaf-salt").digest()


def salt_for(key: bytes, item_id: str) -> str:
    """The item's secret salt (hex), from salt_key(locker key)."""
    return hashlib.blake2b(item_id.encode("utf-8"), key=key, digest_size=16).hexdigest()


def leaf_object(*, kind: str, item_id: str, added_at: str, sha256: str, salt: str
                ) -> dict[str, object]:
    """The item's metadata as its leaf holds it (a bundle carries it; leaf_input writes it)."""
    return {"v": LEAF_VERSION, "kind": kind, "id": item_id, "added_at": added_at,
            "salt": salt, "sha256": sha256}


def leaf_input(*, kind: str, item_id: str, added_at: str, sha256: str, salt: str) -> bytes:
    """canonical_json(leaf_object(...)), written out directly: the import's hot path."""
    return (
        f'{{"added_at":"{added_at}","id":"{item_id}","kind":"{kind}","salt":"{salt}",'
        f'"sha256":"{sha256}","v":{LEAF_VERSION}}}'
    ).encode("ascii")


def signing_key() -> SigningKey:
    """The deployment's key that signs every tree head (SAFELIGHT_EVIDENCE_SIGNING_KEY)."""
    seed = settings.SAFELIGHT_EVIDENCE_SIGNING_KEY
    if seed is None:  # safelight.config leaves it out where no reporter interface is served
        raise ImproperlyConfigured("No SAFELIGHT_EVIDENCE_SIGNING_KEY: evidence lockers are "
                                   "served only with the reporter interface.")
    return SigningKey(seed)


def open_block(locker: Locker) -> bytearray:
    """The leaf hashes of the log's last block when it is not yet full (where the next leaf
    goes), else nothing: an action appends from here (safelight.evidence.custody_actions.Log)."""
    if not locker.log_size % LeafBlock.BLOCK_LEAVES:
        return bytearray()
    row = LeafBlock.objects.get(locker=locker, number=locker.log_size // LeafBlock.BLOCK_LEAVES)
    return bytearray(bytes(row.hashes))


def leaf_hashes(locker: Locker) -> list[bytes]:
    """Every leaf hash of the log, in order (for proofs at export time)."""
    hashes: list[bytes] = []
    for block in LeafBlock.objects.filter(locker=locker).order_by("number").values_list(
            "hashes", flat=True).iterator():
        data = bytes(block)
        hashes.extend(data[i:i + 32] for i in range(0, len(data), 32))
    return hashes[:locker.log_size]


def latest_head(locker: Locker) -> TreeHead | None:
    """The log's newest signed tree head, or None before anything was added."""
    return locker.tree_heads.order_by("-tree_size").first()


def proofs_at(locker: Locker, indices: Sequence[int],
              tree_size: int) -> tuple[int, bytes, dict[int, list[bytes]]]:
    """(size, root, {index: inclusion proof}) against the log at `tree_size` leaves."""
    hashes = leaf_hashes(locker)[:tree_size]
    wanted = sorted(set(indices))
    found = merkle.inclusion_proofs(wanted, hashes)
    return len(hashes), merkle.root_hash(hashes), dict(zip(wanted, found, strict=True))

