"""Importing a message export into a locker: what is computed on the way (no writes here).

The export arrives already encrypted (the upload handler encrypts it as it is received). It is
decrypted as a stream and parsed piece by piece; messages are scored and sealed a page (1,000) at
a time, media files are re-encrypted into storage as they go by, and every message and file gets
a leaf in the custody log. Memory stays bounded whatever the export's size. Everything happens in
one transaction: a failure leaves nothing stored (files written so far are removed).

This module holds the parts that compute: which format an export is, the budget of bytes an
import may unpack, each page's records and leaf inputs, the counts, and the summary. The writes
(pages, files, the log, the audit event) are safelight.evidence.import_actions.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from safelight.evidence import custody, importers
from safelight.evidence.bundle_content import CATEGORIES
from safelight.evidence.ids import message_id
from safelight.evidence.importers.base import Message, Skipped
from safelight.reports import storage
from safelight.reports.uploads import EncryptedUpload
from safelight.triage.severity import flagged

KEPT_SKIP_REASONS = 200
KEPT_SENDERS = 50
# The most one import may unpack and store, whatever its own size (a 3.6 MB zip once stored
# 304 MB): messages and media together, counted as they stream in (docs/security.md, "Limits").
# The locker's quota (SAFELIGHT_LOCKER_QUOTA_MB) bounds it further.
MAX_IMPORT_BYTES = 256 * 1024 * 1024


class ImportRejected(Exception):
    """The export cannot be imported; `message` says why, plainly, for the survivor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Digest(Protocol):
    """What hashlib's hashes have in common (and all that `hashing` needs)."""

    def update(self, data: bytes, /) -> None: ...


@dataclass
class Progress:
    """What an import has counted so far; the summary is made from it."""

    messages: int = 0
    system: int = 0
    media: int = 0
    skipped: int = 0
    skip_reasons: list[list[str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    flagged: dict[str, list[int]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    senders: dict[str, int] = field(default_factory=dict)
    first: str | None = None
    last: str | None = None

    def skip(self, skipped: Skipped) -> None:
        """Count something the importer could not read (where and why kept, up to a limit, in
        the survivor's language: the importer translated the reason, `place` the reference)."""
        self.skipped += 1
        if len(self.skip_reasons) < KEPT_SKIP_REASONS:
            self.skip_reasons.append([place(skipped.reference), skipped.reason])


# Places in an export as the importers write them: where something was skipped (base.Skipped)
# and where a message is (its record's "ref"). Fixed words, numbered places, an all-chats Telegram
# export's chat in front; anything else (a file's name in a WhatsApp .zip, an MMS part's, a
# Telegram message's own id) is a name, shown as it is.
_FIXED_PLACES = {
    "file": pgettext_lazy("place in an export", "file"),
    "archive": pgettext_lazy("place in an export", "archive"),
    "start of file": pgettext_lazy("place in an export", "start of file"),
    "end of file": pgettext_lazy("place in an export", "end of file"),
    "email": pgettext_lazy("place in an export", "email"),
}
_NUMBERED_PLACES = {
    "line": pgettext_lazy("place in an export", "line %(number)s"),
    "message": pgettext_lazy("place in an export", "message %(number)s"),
    "mbox message": pgettext_lazy("place in an export", "mbox message %(number)s"),
    "byte": pgettext_lazy("place in an export", "byte %(number)s"),
    "message number": pgettext_lazy("place in an export",
                                    "message number %(number)s in the list"),
}
_IN_CHAT = pgettext_lazy("place in an export", "chat “%(chat)s”, %(place)s")
_NUMBERED_PLACE = re.compile(
    r"(?P<kind>line|message|mbox message|byte|message number) (?P<number>[\d,]+)"
    r"(?P<in_list> in the list)?(?P<rest>: .*)?", re.DOTALL)
_CHAT_PLACE = re.compile(r"chat \u201c(?P<chat>.*)\u201d, (?P<place>.*)", re.DOTALL)


def place(reference: str) -> str:
    """`reference` ("line 12", "end of file", ...) in the active language."""
    if reference in _FIXED_PLACES:
        return str(_FIXED_PLACES[reference])
    if chat := _CHAT_PLACE.fullmatch(reference):
        return _IN_CHAT % {"chat": chat["chat"], "place": place(chat["place"])}
    numbered = _NUMBERED_PLACE.fullmatch(reference)
    if numbered is None or (numbered["kind"] == "message number") != bool(numbered["in_list"]):
        return reference
    words = _NUMBERED_PLACES[numbered["kind"]] % {"number": numbered["number"]}
    return words + (numbered["rest"] or "")


@dataclass(frozen=True)
class Budget:
    """How many bytes an import may unpack and keep, and what it is told past them."""

    limit: int
    refusal: str
    fits: bool  # False when the export alone is past the locker's room: refused at once


def encode_page(records: list[dict[str, Any]]) -> bytes:
    """A page of message records as it is sealed: compact JSON, zlib-compressed."""
    return zlib.compress(
        json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def hashing(chunks: Iterator[bytes], digest: Digest) -> Iterator[bytes]:
    """The chunks, unchanged, each added to `digest` as it goes by."""
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def detect_format(upload: EncryptedUpload) -> str:
    """The importer that reads this export (its name and first 64 KiB); ImportRejected when
    none does."""
    name = upload.name or ""
    head = b""
    for chunk in storage.iter_plaintext(upload.storage_name, upload.key):
        head = chunk[:64 * 1024]
        break
    format_key = importers.detect(name, head)
    if format_key is None:
        raise ImportRejected(_(
            "“%(name)s” is not an export Safelight can read. It reads WhatsApp chat exports "
            "(.txt or .zip), SMS Backup & Restore (.xml), email (.eml or .mbox), Telegram "
            "Desktop (result.json) and Instagram or Facebook messages (message_1.json)."
        ) % {"name": name or _("your file")})
    return format_key


def budget(upload: EncryptedUpload, *, quota: int, usage: int) -> Budget:
    """The import's budget: MAX_IMPORT_BYTES, or less when the locker (its quota, what it holds
    now, the export itself) has less room; with the refusal that says which."""
    room = quota - usage - upload.size
    limit = min(MAX_IMPORT_BYTES, room)
    if limit == MAX_IMPORT_BYTES:
        refusal = _(
            "“%(name)s” unpacks to more than %(limit)s, the most one import can hold, so nothing "
            "of it was kept. You could export the chat without media, or in parts."
        ) % {"name": upload.name or _("your file"), "limit": filesizeformat(MAX_IMPORT_BYTES)}
    else:
        refusal = _(
            "“%(name)s” does not fit in your locker: a locker can hold %(quota)s in all, and "
            "%(room)s is left. Nothing of it was kept. You could export the chat without media, "
            "or delete something you no longer need."
        ) % {"name": upload.name or _("your file"), "quota": filesizeformat(quota),
             "room": filesizeformat(max(room, 0))}
    return Budget(limit=limit, refusal=refusal, fits=room >= 0)


def message_size(message: Message) -> int:
    """The bytes a message costs the budget: its original bytes and its text."""
    return len(message.raw) + len(message.text.encode("utf-8", "surrogatepass"))


def page(batch: list[Message], scores: list[dict[str, float]], *, progress: Progress,
         import_id: str, salt_key: bytes, added_at: str) -> tuple[list[dict[str, Any]],
                                                                  list[bytes]]:
    """One page of messages (numbered on from `progress.messages`): its records, as sealed, and
    the leaf input of each message, in order. Counts them into `progress`."""
    first_number = progress.messages
    records: list[dict[str, Any]] = []
    leaves: list[bytes] = []
    for offset, (message, score) in enumerate(zip(batch, scores, strict=True)):
        number = first_number + offset
        item_id = message_id(import_id, number)
        sha = message.sha256.hex() or hashlib.sha256(message.raw).hexdigest()
        leaves.append(custody.leaf_input(
            kind="message", item_id=item_id, added_at=added_at, sha256=sha,
            salt=custody.salt_for(salt_key, item_id)))
        cats = [] if message.system else flagged(score)
        for cat in cats:
            progress.counts[cat] += 1
            progress.flagged[cat].append(number)
        sent = message.sent_at.isoformat() if message.sent_at is not None else None
        if sent is not None:
            if progress.first is None or sent < progress.first:
                progress.first = sent
            if progress.last is None or sent > progress.last:
                progress.last = sent
        if message.system:
            progress.system += 1
        elif len(progress.senders) < KEPT_SENDERS or message.sender in progress.senders:
            progress.senders[message.sender] = progress.senders.get(message.sender, 0) + 1
        record: dict[str, Any] = {"s": message.sender, "t": sent, "x": message.text, "h": sha,
                                  "ref": message.reference}
        if message.attachments:
            record["a"] = message.attachments
        if message.system:
            record["y"] = 1
        if cats:
            record["f"] = cats
        try:
            raw = message.raw.decode("utf-8")
        except UnicodeDecodeError:
            record["rb"] = message.raw.hex()
        else:
            if raw != message.text:
                record["r"] = raw
        records.append(record)
    progress.messages += len(batch)
    return records, leaves


def no_messages(upload: EncryptedUpload, progress: Progress) -> ImportRejected:
    """The refusal of an export in which no message was found (with the first reasons why)."""
    reasons = "; ".join(r for _ref, r in progress.skip_reasons[:3])
    return ImportRejected(
        _("No messages were found in “%(name)s”.") % {"name": upload.name or _("your file")}
        + (" " + reasons if reasons else ""))


def summary(*, format_key: str, upload: EncryptedUpload, original_id: str, sha256: str,
            progress: Progress, pages: int) -> dict[str, Any]:
    """What the import's summary holds (sealed on its row): the counts the pages show first."""
    return {
        "format": format_key, "filename": upload.name or "", "original": original_id,
        "sha256": sha256, "size": upload.size, "messages": progress.messages,
        "system": progress.system, "media": progress.media, "skipped": progress.skipped,
        "skip_reasons": progress.skip_reasons, "counts": progress.counts,
        "flagged": progress.flagged, "senders": progress.senders, "first": progress.first,
        "last": progress.last, "pages": pages,
    }
