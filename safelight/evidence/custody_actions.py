"""Writing the locker's custody log (safelight.evidence.custody says what a leaf is).

Every action that adds to a locker appends a leaf for each item to the log and commits the log in
its own transaction, so an item is in the log exactly when it is in the locker: `Log` keeps the
leaf hashes in blocks and the log's compact range on the locker, and signs a new tree head on
commit; `add_file` records a stored, encrypted original and appends its leaf. Both are steps of
the actions in safelight.evidence.actions and safelight.evidence.import_actions, which hold the
transaction and write the audit event.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.utils import timezone

from safelight.crypto import merkle
from safelight.evidence import custody
from safelight.evidence.models import (
    EvidenceFile,
    Incident,
    LeafBlock,
    Locker,
    MessageImport,
    TreeHead,
)
from safelight.evidence.opened import OpenLocker, seal
from safelight.reports.sealing import b64


class Log:
    """Appends leaves to one locker's log; call `commit()` inside the action's transaction."""

    def __init__(self, locker: Locker) -> None:
        self.locker = locker
        data = bytes(locker.log_range)
        self.range = merkle.CompactRange.from_bytes(data) if data else merkle.CompactRange()
        self.size = locker.log_size
        self._block_number = self.size // LeafBlock.BLOCK_LEAVES
        self._block: bytearray = custody.open_block(locker)
        self._dirty = False

    def append(self, leaf_input_bytes: bytes) -> int:
        """Append one leaf (its input, as custody.leaf_input writes it); its index in the log."""
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
            custody.signing_key(), log_id=str(self.locker.pk).encode("ascii"),
            tree_size=self.size, timestamp_ms=timestamp_ms, root_hash=root)
        self._dirty = False
        return TreeHead.objects.create(
            locker=self.locker, tree_size=self.size, root_hash=root, timestamp_ms=timestamp_ms,
            signature=signature)


def add_file(
    *, opened: OpenLocker, log: Log, storage_name: str, file_key: bytes, size: int,
    name: str, content_type: str, sha256: str, role: str, incident: Incident | None = None,
    message_import: MessageImport | None = None, file_id: uuid.UUID | None = None,
) -> EvidenceFile:
    """Record a stored, encrypted original and append its leaf (a step of an action: the caller
    holds the transaction, commits the log and writes the audit event)."""
    file_id = file_id or uuid.uuid4()
    added = timezone.now()
    salt = custody.salt_for(custody.salt_key(opened.key), str(file_id))
    leaf_index = log.append(custody.leaf_input(
        kind=role, item_id=str(file_id), added_at=custody.iso(added), sha256=sha256, salt=salt))
    meta = {"name": name, "type": content_type, "sha256": sha256, "key": b64(file_key),
            "role": role, "added_at": custody.iso(added)}
    return EvidenceFile.objects.create(
        id=file_id, locker=opened.locker, incident=incident, message_import=message_import,
        added_at=added, storage_name=storage_name, size=size,
        sealed_meta=seal(opened, meta, object_id=file_id, field="meta"), leaf_index=leaf_index)
