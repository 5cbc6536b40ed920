"""Importing a message export into a locker: the writes (safelight.evidence.importing computes).

`import_messages` parses the export as a stream and stores it in one transaction: a page of
sealed messages at a time, media re-encrypted into storage as they go by, a leaf in the custody
log for every message and file, then the sealed summary, the signed tree head and the audit
event. A failure leaves nothing stored: the transaction takes the rows back and the files written
so far are removed.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from safelight.audit.actions import record
from safelight.crypto import generate_key, seal_field
from safelight.evidence import custody, importers, importing
from safelight.evidence.custody_actions import Log, add_file
from safelight.evidence.ids import page_id
from safelight.evidence.importers.base import MediaFile, Message, Skipped
from safelight.evidence.models import EvidenceFile, Locker, MessageImport, MessagePage
from safelight.evidence.opened import PURPOSE, OpenLocker, seal
from safelight.evidence.quota import locker_usage, quota
from safelight.reports import storage
from safelight.reports.uploads import EncryptedUpload
from safelight.triage.severity import get_scorer


class _Importer:
    """Stores one export's items as the parser gives them, within the import's transaction."""

    def __init__(self, opened: OpenLocker, log: Log, message_import: MessageImport,
                 written: list[str], budget: importing.Budget) -> None:
        self.opened = opened
        self.log = log
        self.row = message_import
        self.import_id = str(message_import.pk)
        self.salt_key = custody.salt_key(opened.key)
        self.added_at = custody.iso(message_import.created_at)
        self.scorer = get_scorer()
        self.progress = importing.Progress()
        self.batch: list[Message] = []
        self.pages = 0
        self.written = written  # storage names to remove if the import fails
        self.last_media: tuple[str, EvidenceFile] | None = None
        self.budget = budget
        self.spent = 0

    def spend(self, size: int) -> None:
        """Count bytes unpacked and kept; past the budget the import stops, nothing kept."""
        self.spent += size
        if self.spent > self.budget.limit:
            raise importing.ImportRejected(self.budget.refusal)

    def message(self, message: Message) -> None:
        """Take one message; a full page is sealed and stored."""
        self.spend(importing.message_size(message))
        self.batch.append(message)
        if len(self.batch) == MessagePage.PAGE_MESSAGES:
            self.flush()

    def flush(self) -> None:
        """Score, log, seal and store the messages taken since the last page."""
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        scores = self.scorer.score([m.text for m in batch])
        first_leaf = self.log.size
        records, leaves = importing.page(
            batch, scores, progress=self.progress, import_id=self.import_id,
            salt_key=self.salt_key, added_at=self.added_at)
        for leaf in leaves:
            self.log.append(leaf)
        number = self.pages
        self.pages += 1
        MessagePage.objects.create(
            message_import=self.row, number=number, count=len(batch), first_leaf=first_leaf,
            sealed_messages=seal_field(self.opened.key, importing.encode_page(records),
                                       purpose=PURPOSE,
                                       object_id=page_id(self.import_id, number),
                                       field="messages"))

    def media(self, media: MediaFile) -> None:
        """Re-encrypt a media file into storage as it streams by, and add it to the locker."""
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
            opened=self.opened, log=self.log, storage_name=name, file_key=key,
            size=writer.plaintext_size, name=media.name, content_type="",
            sha256=digest.hexdigest(), role="media", message_import=self.row))

    def skipped(self, skipped: Skipped) -> None:
        """Count what could not be read; a media file found damaged is not kept."""
        if self.last_media is not None and skipped.reference == self.last_media[0]:
            # The importer found the file it just gave damaged (a bad checksum): keep no copy
            # that could pass for the original. Its leaf stays in the log, as appended.
            row = self.last_media[1]
            storage.delete(row.storage_name)
            row.delete()
            self.progress.media -= 1
        self.last_media = None
        self.progress.skip(skipped)


def import_messages(*, opened: OpenLocker, upload: EncryptedUpload) -> MessageImport:
    """Import one uploaded export; raise ImportRejected (nothing stored) when it cannot be read."""
    format_key = importing.detect_format(upload)
    written: list[str] = []
    try:
        row = _store_import(opened=opened, upload=upload, format_key=format_key, written=written)
    except BaseException:
        for stored in written:  # media re-encrypted so far: nothing half-stored stays
            storage.delete(stored)
        raise
    upload.claim()
    return row


@transaction.atomic
def _store_import(*, opened: OpenLocker, upload: EncryptedUpload, format_key: str,
                  written: list[str]) -> MessageImport:
    """The import's transaction: every page, file and leaf, the summary, the signed head and
    the audit event, or nothing. Media files it stores are named in `written` as they are."""
    locker = Locker.objects.select_for_update().get(pk=opened.locker.pk)
    opened = OpenLocker(locker=locker, key=opened.key)
    log = Log(locker)
    row = MessageImport.objects.create(locker=locker, created_at=timezone.now(),
                                       sealed_summary=b"")
    # The same measure every way of storing in a locker uses (quota.py).
    budget = importing.budget(upload, quota=quota(), usage=locker_usage(locker))
    if not budget.fits:
        raise importing.ImportRejected(budget.refusal)
    importer = _Importer(opened, log, row, written, budget)
    digest = hashlib.sha256()
    chunks = importing.hashing(storage.iter_plaintext(upload.storage_name, upload.key), digest)
    for item in importers.parse(format_key, chunks):
        if isinstance(item, Message):
            importer.message(item)
        elif isinstance(item, MediaFile):
            importer.media(item)
        else:
            importer.skipped(item)
    importer.flush()
    if importer.progress.messages == 0:
        raise importing.no_messages(upload, importer.progress)
    original = add_file(
        opened=opened, log=log, storage_name=upload.storage_name, file_key=upload.key,
        size=upload.size, name=upload.name or "export", content_type=upload.content_type or "",
        sha256=digest.hexdigest(), role="export", message_import=row)
    row.sealed_summary = seal(opened, importing.summary(
        format_key=format_key, upload=upload, original_id=str(original.pk),
        sha256=digest.hexdigest(), progress=importer.progress, pages=importer.pages),
        object_id=row.pk, field="summary")
    row.save(update_fields=["sealed_summary"])
    log.commit()
    record(action="evidence.messages_imported", target=row)
    return row
