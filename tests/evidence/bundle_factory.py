"""Hand-built BundleContent over a real custody log (safelight.crypto.merkle), for the bundle
writer's and verifier's tests. No database."""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from safelight.crypto import SigningKey, merkle
from safelight.evidence.bundle import write_bundle
from safelight.evidence.bundle_content import BundleContent, BundleItem, TreeHead
from safelight.evidence.canonical import canonical_json
from tests.evidence.pdf_factory import pdf_content

LOCKER_ID = "3f9c2a71-5d0e-4b8a-9c61-2e7f4d1a0b95"
EXPORTED_AT = datetime.datetime(2026, 3, 4, 12, 30, 5, tzinfo=datetime.UTC)
TIMESTAMP_MS = 1_772_627_400_123
PDF = b"%PDF-1.7\n% a stand-in for the rendered report\n" + bytes(range(256)) * 4 + b"%%EOF\n"
KEY = SigningKey(hashlib.sha256(b"the deployment's evidence signing key").digest())

KINDS = [
    ("message", "items/messages/{:06d}.txt", "WhatsApp message {}"),
    ("file", "items/files/{:06d}-screenshot.png", "Screenshot {}"),
    ("incident", "items/incidents/{:06d}-v1.json", "Incident {}"),
    ("import", "items/imports/{:06d}-chat.zip", "WhatsApp export {}"),
]


def original(number: int) -> bytes:
    """The original bytes of item ``number`` (varied sizes, some empty-ish, some multi-chunk)."""
    if number % 4 == 2:
        return canonical_json({"title": f"Incident {number}", "what": "He followed me home.",
                               "when": "2026-03-02T21:40"})
    size = (number * 37) % 300 + 1
    return (f"item {number}: ".encode() + bytes((number + i) % 256 for i in range(size)))


def leaf_for(number: int, data: bytes) -> dict:
    kind = KINDS[number % len(KINDS)][0]
    return {"v": 1, "kind": kind, "id": f"item-{number}", "added_at": "2026-03-01T10:00:00Z",
            "salt": hashlib.sha256(b"salt %d" % number).hexdigest()[:32],
            "sha256": hashlib.sha256(data).hexdigest()}


@dataclass
class Built:
    content: BundleContent
    originals: dict[str, bytes]  # path -> bytes
    leaf_hashes: list[bytes]


def build(count: int = 6, *, other_leaves: int = 3, chunk: int = 64,
          key: SigningKey = KEY) -> Built:
    """A bundle of ``count`` items, exported from a log that also holds ``other_leaves``
    entries the survivor did not export (every third leaf, then the rest at the end)."""
    numbers = list(range(count))
    leaves: list[tuple[int | None, dict]] = []
    for number in numbers:
        leaves.append((number, leaf_for(number, original(number))))
        if number % 3 == 0 and other_leaves:
            other_leaves -= 1
            leaves.append((None, leaf_for(10_000 + number, b"not exported %d" % number)))
    for extra in range(other_leaves):
        leaves.append((None, leaf_for(20_000 + extra, b"later %d" % extra)))
    hashes = [merkle.leaf_hash(canonical_json(leaf)) for _, leaf in leaves]
    tree = merkle.MerkleTree(hashes)
    root = tree.root()
    head = TreeHead(log_id=LOCKER_ID, tree_size=len(hashes), root_hash=root,
                    timestamp_ms=TIMESTAMP_MS,
                    signature=merkle.sign_tree_head(key, LOCKER_ID.encode(), len(hashes),
                                                    TIMESTAMP_MS, root))
    items, originals = [], {}
    for index, (number, leaf) in enumerate(leaves):
        if number is None:
            continue
        kind, pattern, title = KINDS[number % len(KINDS)]
        data = original(number)
        path = pattern.format(number)
        originals[path] = data
        items.append(BundleItem(
            id=leaf["id"], kind=kind, title=title.format(number), leaf=leaf, leaf_index=index,
            inclusion_proof=tree.inclusion_proof(index), path=path,
            chunks=_chunks(data, chunk)))
    content = BundleContent(locker_id=LOCKER_ID, exported_at=EXPORTED_AT, tree_head=head,
                            public_key=key.verify_key().to_bytes()[1:], items=items,
                            pdf=pdf_content())
    return Built(content=content, originals=originals, leaf_hashes=hashes)


def _chunks(data: bytes, size: int):
    def chunks():
        for start in range(0, len(data), size):
            yield data[start:start + size]
    return chunks


def bundle_bytes(built: Built | None = None, *, key: SigningKey = KEY, pdf: bytes = PDF) -> bytes:
    out = io.BytesIO()
    write_bundle(out, (built or build()).content, signing_key=key, pdf=pdf)
    return out.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "bundle.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
