"""What goes into an evidence bundle, as plain data: the locker fills it, the writer and the PDF
read it. Nothing here touches the database, so the bundle code can be tested on its own.

A bundle is a ZIP (see docs/evidence-bundle.md):
- `manifest.json`: every item's custody-log leaf and inclusion proof, the signed tree head, the
  deployment's public key, the PDF's SHA-256, and a signature over the whole manifest;
- `items/...`: the originals (files, exports, each chosen message's original bytes, each incident
  version as canonical JSON);
- `report.pdf`: the human-readable account.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Severity categories, in display order (safelight.triage.severity defines their labels).
CATEGORIES = ("threat", "sexual", "insult", "exposure", "control")


@dataclass
class BundleItem:
    """One custody-log entry carried by the bundle.

    `leaf` is the canonical metadata object whose canonical JSON is the Merkle leaf input; it
    always has "v", "kind", "id", "added_at", "salt" and "sha256" (hex of the original bytes).
    `path` is the ZIP member holding the original bytes, which `chunks()` yields.
    """

    id: str
    kind: str  # "incident" | "file" | "import" | "message"
    title: str
    leaf: dict
    leaf_index: int
    inclusion_proof: list[bytes]
    path: str
    chunks: Callable[[], Iterable[bytes]]


@dataclass
class TreeHead:
    log_id: str  # the locker's id
    tree_size: int
    root_hash: bytes
    timestamp_ms: int
    signature: bytes  # Ed25519 over safelight.crypto.merkle.tree_head_message(...)


@dataclass
class PdfIncident:
    title: str
    when: str  # already formatted: "3 March 2026, 21:40" or "1 to 14 March 2026"
    kind: str  # label from the intake abuse taxonomy
    platform: str
    who: str
    what: str
    impact: str
    notes: str
    urls: list[tuple[str, str]] = field(default_factory=list)  # (url, captured at)
    files: list[tuple[str, str]] = field(default_factory=list)  # (name, sha256 hex)
    versions: int = 1  # how many times it was written (1 = never edited)
    sha256: str = ""  # of the current version's canonical JSON


@dataclass
class PdfMessage:
    sent_at: str  # formatted, or "" when the export gave no time
    sender: str
    text: str
    source: str  # "WhatsApp export chat.txt, line 1234"
    categories: list[str]  # flagged categories (keys of CATEGORIES); empty when not flagged
    sha256: str


@dataclass
class PdfTimelineEntry:
    when: str
    what: str  # "Incident: Threat on Instagram", "Imported 5,000 messages from WhatsApp"


@dataclass
class PdfContent:
    locker_id: str
    exported_at: str
    tree_size: int
    root_hash: str  # hex
    public_key: str  # hex of the deployment's Ed25519 verify key
    timeline: list[PdfTimelineEntry]
    incidents: list[PdfIncident]
    counts: dict[str, int]  # category -> flagged messages among those exported
    messages: list[PdfMessage]  # chosen messages; flagged ones go behind the content warning
    items: list[tuple[str, str, str]]  # (ZIP member, kind, sha256 hex): the hash table at the end


@dataclass
class BundleContent:
    locker_id: str
    exported_at: datetime.datetime
    tree_head: TreeHead
    public_key: bytes  # raw 32-byte Ed25519 verify key (no format byte)
    items: list[BundleItem]
    pdf: PdfContent
