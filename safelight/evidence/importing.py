"""Importing a message export into a locker: parse as a stream, score, seal, log.

The export arrives already encrypted (the upload handler encrypts it as it is received). It is
decrypted as a stream and parsed piece by piece; messages are scored and sealed a page (1,000) at
a time, media files are re-encrypted into storage as they go by, and every message and file gets
a leaf in the custody log. Memory stays bounded whatever the export's size. Everything happens in
one transaction: a failure leaves nothing stored (files written so far are removed).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.audit.actions import record
from safelight.crypto import generate_key, seal_field
from safelight.evidence import custody, importers
from safelight.evidence.actions import add_file, iso, seal
from safelight.evidence.bundle_content import CATEGORIES
from safelight.evidence.ids import message_id, page_id
from safelight.evidence.importers.base import MediaFile, Message, Skipped
from safelight.evidence.models import Locker, MessageImport, MessagePage
from safelight.evidence.quota import locker_usage, quota
from safelight.evidence.session import PURPOSE, OpenLocker
from safelight.reports import storage
from safelight.reports.uploads import EncryptedUpload
from safelight.triage.severity import flagged, get_scorer

KEPT_SKIP_REASONS = 200
KEPT_SENDERS = 50
# The most one import may unpack and store, whatever its own size (a 3.6 MB zip once stored
# 304 MB): messages and media together, counted as they stream in (docs/security.md, "Limits").
# The locker's quota (SAFELIGHT_LOCKER_QUOTA_MB) bounds it further.
MAX_IMPORT_BYTES = 256 * 1024 * 1024


class ImportRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Progress:
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


def encode_page(records: list[dict]) -> bytes:
    return zlib.compress(
        json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


class _Importer:
    def __init__(self, opened: OpenLocker, log: custody.Log, message_import: MessageImport):
        self.opened = opened
        self.log = log
        self.row = message_import
        self.import_id = str(message_import.pk)
        self.salt_key = custody.salt_key(opened.key)
        self.added_at = iso(message_import.created_at)
        self.scorer = get_scorer()
        self.progress = _Progress()
        self.batch: list[Message] = []
        self.pages = 0
        self.written: list[str] = []  # storage names to remove if the import fails
        self.last_media: tuple[str, object] | None = None
        self.budget = MAX_IMPORT_BYTES  # set by _run from the locker's room
        self.spent = 0
        self.refusal = ""

    def spend(self, size: int) -> None:
        """Count bytes unpacked and kept; past the budget the import stops, nothing kept."""
        self.spent += size
        if self.spent > self.budget:
            raise ImportRejected(self.refusal)

    def message(self, message: Message) -> None:
        self.spend(len(message.raw) + len(message.text.encode("utf-8", "surrogatepass")))
        self.batch.append(message)
        if len(self.batch) == MessagePage.PAGE_MESSAGES:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        progress = self.progress
        scores = self.scorer.score([m.text for m in batch])
        first_number = progress.messages
        first_leaf = self.log.size
        records = []
        for offset, (message, score) in enumerate(zip(batch, scores, strict=True)):
            number = first_number + offset
            item_id = message_id(self.import_id, number)
            sha = message.sha256.hex() or hashlib.sha256(message.raw).hexdigest()
            self.log.append(custody.leaf_input(
                kind="message", item_id=item_id, added_at=self.added_at, sha256=sha,
                salt=custody.salt_for(self.salt_key, item_id)))
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
            record = {"s": message.sender, "t": sent, "x": message.text, "h": sha,
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
        number = self.pages
        self.pages += 1
        MessagePage.objects.create(
            message_import=self.row, number=number, count=len(batch), first_leaf=first_leaf,
            sealed_messages=seal_field(self.opened.key, encode_page(records), purpose=PURPOSE,
                                       object_id=page_id(self.import_id, number),
                                       field="messages"))

    def media(self, media: MediaFile) -> None:
        name = storage.new_name()
        key = generate_key()
        writer = storage.EncryptedWriter(name, key)
        self.written.append(name)
        digest = hashlib.sha256()
        try:
            for chunk in media.chunks:
                self.spend(len(chunk))
                digest.update(chunk)
                writer.write(chunk)
        except BaseException:
            writer.abort()  # the partial ciphertext goes at once
            raise
        writer.close()
        self.progress.media += 1
        self.last_media = (media.name, add_file(
            self.opened, self.log, storage_name=name, file_key=key,
            size=writer.plaintext_size, name=media.name, content_type="",
            sha256=digest.hexdigest(), role="media", message_import=self.row))

    def skipped(self, skipped: Skipped) -> None:
        if self.last_media is not None and skipped.reference == self.last_media[0]:
            # The importer found the file it just gave damaged (a bad checksum): keep no copy
            # that could pass for the original. Its leaf stays in the log, as appended.
            row = self.last_media[1]
            storage.delete(row.storage_name)
            row.delete()
            self.progress.media -= 1
        self.last_media = None
        self.progress.skipped += 1
        if len(self.progress.skip_reasons) < KEPT_SKIP_REASONS:
            self.progress.skip_reasons.append([skipped.reference, skipped.reason])


def _hashing(chunks: Iterator[bytes], digest) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def import_messages(*, opened: OpenLocker, upload: EncryptedUpload) -> MessageImport:
    """Import one uploaded export; raise ImportRejected (nothing stored) when it cannot be read."""
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
    written: list[str] = []
    try:
        with transaction.atomic():
            importer = _run(opened, upload, format_key, written)
    except BaseException:
        for stored in written:  # media re-encrypted so far: nothing half-stored stays
            storage.delete(stored)
        raise
    upload.claim()
    return importer.row


def _run(opened: OpenLocker, upload: EncryptedUpload, format_key: str,
         written: list[str]) -> _Importer:
    locker = Locker.objects.select_for_update().get(pk=opened.locker.pk)
    opened = OpenLocker(locker=locker, key=opened.key)
    log = custody.Log(locker)
    row = MessageImport.objects.create(locker=locker, created_at=timezone.now(),
                                       sealed_summary=b"")
    importer = _Importer(opened, log, row)
    importer.written = written
    limit = quota()  # the same measure every way of storing in a locker uses (quota.py)
    room = limit - locker_usage(locker) - upload.size
    importer.budget = min(MAX_IMPORT_BYTES, room)
    if importer.budget == MAX_IMPORT_BYTES:
        importer.refusal = _(
            "“%(name)s” unpacks to more than %(limit)s, the most one import can hold, so nothing "
            "of it was kept. You could export the chat without media, or in parts."
        ) % {"name": upload.name or _("your file"), "limit": filesizeformat(MAX_IMPORT_BYTES)}
    else:
        importer.refusal = _(
            "“%(name)s” does not fit in your locker: a locker can hold %(quota)s in all, and "
            "%(room)s is left. Nothing of it was kept. You could export the chat without media, "
            "or delete something you no longer need."
        ) % {"name": upload.name or _("your file"), "quota": filesizeformat(limit),
             "room": filesizeformat(max(room, 0))}
    if room < 0:
        raise ImportRejected(importer.refusal)
    digest = hashlib.sha256()
    chunks = _hashing(storage.iter_plaintext(upload.storage_name, upload.key), digest)
    for item in importers.parse(format_key, chunks):
        if isinstance(item, Message):
            importer.message(item)
        elif isinstance(item, MediaFile):
            importer.media(item)
        else:
            importer.skipped(item)
    importer.flush()
    if importer.progress.messages == 0:
        reasons = "; ".join(r for _ref, r in importer.progress.skip_reasons[:3])
        raise ImportRejected(
            _("No messages were found in “%(name)s”.") % {"name": upload.name or _("your file")}
            + (" " + reasons if reasons else ""))
    original = add_file(
        opened, log, storage_name=upload.storage_name, file_key=upload.key, size=upload.size,
        name=upload.name or "export", content_type=upload.content_type or "",
        sha256=digest.hexdigest(), role="export", message_import=row)
    progress = importer.progress
    summary = {
        "format": format_key, "filename": upload.name or "", "original": str(original.pk),
        "sha256": digest.hexdigest(), "size": upload.size, "messages": progress.messages,
        "system": progress.system, "media": progress.media, "skipped": progress.skipped,
        "skip_reasons": progress.skip_reasons, "counts": progress.counts,
        "flagged": progress.flagged, "senders": progress.senders, "first": progress.first,
        "last": progress.last, "pages": importer.pages,
    }
    row.sealed_summary = seal(opened, summary, object_id=row.pk, field="summary")
    row.save(update_fields=["sealed_summary"])
    log.commit()
    record(action="evidence.messages_imported", target=row)
    return importer
