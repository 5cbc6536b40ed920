"""The locker's custody log: an RFC 9162 Merkle tree with one leaf per item added, and signed heads.

Each leaf input is the canonical JSON of the item's metadata: {"v": 1, "kind", "id", "added_at",
"salt", "sha256"}. The salt is secret (derived from the locker key and the item id), so a leaf
hash in the database never confirms a guess of a short message; a bundle carries the salts of the
items it exports. Leaf hashes are kept in blocks; the log's compact range is kept on the locker,
so appending a million leaves never reads an old one. After every action the deployment signs a
tree head (SAFELIGHT_EVIDENCE_SIGNING_KEY).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from django.conf import settings

from safelight.crypto import SigningKey, merkle
from safelight.evidence.models import LeafBlock, Locker, TreeHead

LEAF_VERSION = 1


class LogDamaged(Exception):
    """The stored leaf hashes do not give the signed root: the database was changed."""


def salt_key(locker_key: bytes) -> bytes:
    return hashlib.blake2b(locker_key, digest_size=32, person=b"sl-leaf-salt").digest()


def salt_for(key: bytes, item_id: str) -> str:
    """The item's secret salt (hex), from salt_key(locker key)."""
    return hashlib.blake2b(item_id.encode("utf-8"), key=key, digest_size=16).hexdigest()


def leaf_object(*, kind: str, item_id: str, added_at: str, sha256: str, salt: str) -> dict:
    return {"v": LEAF_VERSION, "kind": kind, "id": item_id, "added_at": added_at,
            "salt": salt, "sha256": sha256}


def leaf_input(*, kind: str, item_id: str, added_at: str, sha256: str, salt: str) -> bytes:
    """canonical_json(leaf_object(...)), written out directly: the import's hot path."""
    return (
        f'{{"added_at":"{added_at}","id":"{item_id}","kind":"{kind}","salt":"{salt}",'
        f'"sha256":"{sha256}","v":{LEAF_VERSION}}}'
    ).encode("ascii")


def signing_key() -> SigningKey:
    return SigningKey(settings.SAFELIGHT_EVIDENCE_SIGNING_KEY)


class Log:
    """Appends leaves to one locker's log; call `commit()` inside the action's transaction."""

    def __init__(self, locker: Locker) -> None:
        self.locker = locker
        data = bytes(locker.log_range)
        self.range = merkle.CompactRange.from_bytes(data) if data else merkle.CompactRange()
        self.size = locker.log_size
        self._block_number = self.size // LeafBlock.BLOCK_LEAVES
        self._block: bytearray = bytearray()
        if self.size % LeafBlock.BLOCK_LEAVES:
            row = LeafBlock.objects.get(locker=locker, number=self._block_number)
            self._block = bytearray(bytes(row.hashes))
        self._dirty = False

    def append(self, leaf_input_bytes: bytes) -> int:
        leaf = hashlib.sha256(b"\x00" + leaf_input_bytes).digest()
        self.range.append(leaf)
        self._block += leaf
        index = self.size
        self.size += 1
        self._dirty = True
        if len(self._block) == LeafBlock.BLOCK_LEAVES * 32:
            self._flush_block()
            self._block_number += 1
            self._block = bytearray()
        return index

    def _flush_block(self) -> None:
        LeafBlock.objects.update_or_create(
            locker=self.locker, number=self._block_number,
            defaults={"hashes": bytes(self._block)})

    def commit(self) -> TreeHead | None:
        """Store the leaves and a new signed tree head (nothing when nothing was appended)."""
        if not self._dirty:
            return None
        if self._block:
            self._flush_block()
        self.locker.log_size = self.size
        self.locker.log_range = self.range.to_bytes()
        self.locker.save(update_fields=["log_size", "log_range"])
        root = self.range.root()
        timestamp_ms = int(time.time() * 1000)
        signature = merkle.sign_tree_head(
            signing_key(), log_id=str(self.locker.pk).encode("ascii"), tree_size=self.size,
            timestamp_ms=timestamp_ms, root_hash=root)
        self._dirty = False
        return TreeHead.objects.create(
            locker=self.locker, tree_size=self.size, root_hash=root, timestamp_ms=timestamp_ms,
            signature=signature)


def leaf_hashes(locker: Locker) -> list[bytes]:
    """Every leaf hash of the log, in order (for proofs at export time)."""
    hashes: list[bytes] = []
    for block in LeafBlock.objects.filter(locker=locker).order_by("number").values_list(
            "hashes", flat=True).iterator():
        data = bytes(block)
        hashes.extend(data[i:i + 32] for i in range(0, len(data), 32))
    return hashes[:locker.log_size]


def latest_head(locker: Locker) -> TreeHead | None:
    return locker.tree_heads.order_by("-tree_size").first()


def proofs_at(locker: Locker, indices: Sequence[int],
              tree_size: int) -> tuple[int, bytes, dict[int, list[bytes]]]:
    """(size, root, {index: inclusion proof}) against the log at `tree_size` leaves."""
    hashes = leaf_hashes(locker)[:tree_size]
    wanted = sorted(set(indices))
    found = merkle.inclusion_proofs(wanted, hashes)
    return len(hashes), merkle.root_hash(hashes), dict(zip(wanted, found, strict=True))

