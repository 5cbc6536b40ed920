"""Every write to an evidence locker. Each action appends to the custody log and signs a tree head
in the same transaction, so an item is in the log exactly when it is in the locker."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.accounts.access import awaiting_reset_confirmation
from safelight.accounts.models import Organisation
from safelight.audit.actions import record
from safelight.crypto import PublicKey, generate_key, seal_field, seal_to
from safelight.crypto.passphrases import derive_locker_keys, generate_passphrase
from safelight.evidence import custody
from safelight.evidence.canonical import canonical_json
from safelight.evidence.custody_actions import Log, add_file
from safelight.evidence.ids import version_id
from safelight.evidence.kept_files import upload_of
from safelight.evidence.models import (
    EvidenceFile,
    Incident,
    IncidentDraftFile,
    IncidentVersion,
    Locker,
    LockerShare,
)
from safelight.evidence.opened import PURPOSE, OpenLocker, seal
from safelight.evidence.quota import ensure_room
from safelight.reports import storage
from safelight.reports.models import Report, ReportKey
from safelight.reports.sealing import b64
from safelight.reports.uploads import EncryptedUpload


@transaction.atomic
def create_locker() -> tuple[OpenLocker, str]:
    """A new, empty locker and its passphrase (shown once, never stored)."""
    passphrase = generate_passphrase()
    keys = derive_locker_keys(passphrase, settings.SAFELIGHT_RECEIPT_PEPPER)
    key = generate_key()
    locker_id = uuid.uuid4()
    locker = Locker.objects.create(
        id=locker_id, lookup_id=keys.lookup_id,
        sealed_key=seal_field(keys.wrap_key, key, purpose=PURPOSE, object_id=str(locker_id),
                              field="key"))
    record(action="evidence.locker_created", target=locker)
    return OpenLocker(locker=locker, key=key), passphrase


def _file_digest(storage_name: str, key: bytes) -> str:
    """The SHA-256 of a stored file's plaintext, for its leaf."""
    digest = hashlib.sha256()
    for chunk in storage.iter_plaintext(storage_name, key):
        digest.update(chunk)
    return digest.hexdigest()


def _add_upload(opened: OpenLocker, log: Log, upload: EncryptedUpload,
                incident: Incident) -> EvidenceFile:
    """An incident's uploaded file, added to the locker and its log."""
    return add_file(
        opened=opened, log=log, storage_name=upload.storage_name, file_key=upload.key,
        size=upload.size, name=upload.name or "file", content_type=upload.content_type or "",
        sha256=_file_digest(upload.storage_name, upload.key), role="file", incident=incident)


def _incident_refusal(name: str, quota: str, room: str) -> str:
    if not name:
        return _("This incident does not fit in your locker: a locker can hold %(quota)s in all, "
                 "and %(room)s is left.") % {"quota": quota, "room": room}
    return _("“%(name)s” does not fit in your locker: a locker can hold %(quota)s in all, and "
             "%(room)s is left. You could remove a file or choose a smaller one.") % {
                 "name": name, "quota": quota, "room": room}


def _draft_refusal(name: str, quota: str, room: str) -> str:
    return _("“%(name)s” does not fit in your locker: a locker can hold %(quota)s in all, and "
             "%(room)s is left, so it was not kept. Please choose a smaller file, or fewer "
             "files.") % {"name": name, "quota": quota, "room": room}


@transaction.atomic
def save_incident(
    *, opened: OpenLocker, content: dict[str, Any], files: list[EncryptedUpload],
    incident: Incident | None = None,
) -> Incident:
    """A new incident, or a new version of one: the old versions stay, each in the log.

    Raises LockerFull, with nothing stored, when the version and its files do not fit in the
    locker's quota (safelight.evidence.quota)."""
    locker = Locker.objects.select_for_update().get(pk=opened.locker.pk)
    opened = OpenLocker(locker=locker, key=opened.key)
    log = Log(locker)
    now = timezone.now()
    if incident is None:
        incident = Incident.objects.create(locker=locker, created_at=now, updated_at=now)
        number = 1
    else:
        number = incident.version + 1
        incident.version = number
        incident.updated_at = now
        incident.save(update_fields=["version", "updated_at"])
    vid = version_id(incident.pk, number)
    data = canonical_json(content)
    leaf_index = log.append(custody.leaf_input(
        kind="incident", item_id=vid, added_at=custody.iso(now),
        sha256=hashlib.sha256(data).hexdigest(),
        salt=custody.salt_for(custody.salt_key(opened.key), vid)))
    version = IncidentVersion.objects.create(
        incident=incident, number=number, created_at=now, leaf_index=leaf_index,
        sealed_content=seal_field(opened.key, data, purpose=PURPOSE, object_id=vid,
                                  field="content"))
    for upload in files:
        _add_upload(opened, log, upload, incident)
    ensure_room(locker, added=[("", len(version.sealed_content)),
                               *((upload.name or _("your file"), upload.size) for upload in files)],
                message=_incident_refusal)
    log.commit()
    record(action="evidence.incident_saved", target=incident)
    for upload in files:
        upload.claim()
    return incident


@transaction.atomic
def share_with_report(*, opened: OpenLocker, report: Report) -> int:
    """Seal the locker key to every handler who can read this report (implicated people were
    left out when the report was sealed, so they are left out here too). Returns how many."""
    shared = 0
    keys = list(ReportKey.objects.filter(report=report).select_related("handler"))
    resetting = awaiting_reset_confirmation(row.handler_id for row in keys)
    for row in keys:
        handler = row.handler
        if handler.public_key is None or handler.pk in resetting:
            continue
        sealed = seal_to(PublicKey.from_bytes(bytes(handler.public_key)), opened.key)
        LockerShare.objects.update_or_create(
            locker=opened.locker, handler=handler, report=report,
            defaults={"sealed_key": sealed})
        shared += 1
    record(action="evidence.locker_shared", target=opened.locker)
    return shared


@transaction.atomic
def stop_sharing(*, opened: OpenLocker, report: Report) -> None:
    """Stop sharing the locker through this report: its handlers' shares of it go."""
    LockerShare.objects.filter(locker=opened.locker, report=report).delete()
    record(action="evidence.locker_unshared", target=opened.locker)


@transaction.atomic
def delete_locker(*, opened: OpenLocker) -> None:
    """Delete the locker, everything in it and its files. Nothing can bring it back."""
    names = list(EvidenceFile.objects.filter(locker=opened.locker).values_list(
        "storage_name", flat=True))
    names += IncidentDraftFile.objects.filter(locker=opened.locker).values_list(
        "storage_name", flat=True)
    record(action="evidence.locker_deleted", target=opened.locker)
    opened.locker.delete()
    transaction.on_commit(partial(_delete_stored, names))


def _delete_stored(names: list[str]) -> None:
    """Delete these stored files (once the transaction that dropped their rows has committed)."""
    for name in names:
        storage.delete(name)


# Files kept across a form error (IncidentDraftFile) -------------------------------------------

DRAFT_FILE_LIFETIME = datetime.timedelta(hours=24)


class KeptFilesGone(Exception):
    """A kept file expired (or was removed in another tab) before the incident was saved."""


def _seal_draft_meta(opened: OpenLocker, row: IncidentDraftFile, upload: EncryptedUpload) -> bytes:
    """A kept file's name, type and key, sealed under the locker key (kept_files reads them)."""
    return seal(opened, {"name": upload.name or "file", "type": upload.content_type or "",
                         "key": b64(upload.key)}, object_id=row.pk, field="draft-meta")


@transaction.atomic
def keep_draft_files(*, opened: OpenLocker, uploads: list[EncryptedUpload]
                     ) -> list[IncidentDraftFile]:
    """Keep files chosen on an incident form that could not be saved, so that they need not be
    chosen again: their encrypted copies stay, their keys sealed under the locker key.

    They count against the locker's quota: when they do not fit, LockerFull is raised and none
    is kept (the uploads stay unclaimed, so the end of the request deletes them)."""
    locker = Locker.objects.select_for_update().get(pk=opened.locker.pk)
    _purge_expired_draft_files()
    now = timezone.now()
    rows = []
    for upload in uploads:
        row = IncidentDraftFile(locker=opened.locker, added_at=now,
                                expires_at=now + DRAFT_FILE_LIFETIME,
                                storage_name=upload.storage_name, size=upload.size)
        row.sealed_meta = _seal_draft_meta(opened, row, upload)
        row.save()
        rows.append(row)
    ensure_room(locker, added=[(upload.name or _("your file"), upload.size) for upload in uploads],
                message=_draft_refusal)
    for upload in uploads:
        upload.claim()
    return rows


@transaction.atomic
def drop_draft_files(*, opened: OpenLocker, ids: list[str]) -> None:
    """Remove kept files the person no longer wants (their ids were checked by the view's form)."""
    rows = IncidentDraftFile.objects.filter(locker=opened.locker, pk__in=ids)
    names = list(rows.values_list("storage_name", flat=True))
    rows.delete()
    transaction.on_commit(partial(_delete_stored, names))


def _purge_expired_draft_files() -> int:
    """Remove every locker's kept files past their lifetime (a step of keep_draft_files)."""
    expired = IncidentDraftFile.objects.filter(expires_at__lte=timezone.now())
    names = list(expired.values_list("storage_name", flat=True))
    expired.delete()
    transaction.on_commit(partial(_delete_stored, names))
    return len(names)


@transaction.atomic
def save_incident_with_kept_files(
    *, opened: OpenLocker, content: dict[str, Any], files: list[EncryptedUpload],
    kept_ids: list[str], incident: Incident | None = None,
) -> Incident:
    """save_incident, with the files kept from an earlier try added first: each becomes an
    EvidenceFile (and a leaf of the custody log) and stops being a draft, in one transaction."""
    rows = list(IncidentDraftFile.objects.select_for_update().filter(
        locker=opened.locker, pk__in=kept_ids, expires_at__gt=timezone.now()))
    if len(rows) != len(set(kept_ids)):
        raise KeptFilesGone
    kept = [upload_of(opened, row) for row in rows]
    # The drafts stop being drafts first, so that the quota counts each kept file once (as the
    # incident's file). A refusal below takes this back with everything else.
    IncidentDraftFile.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return save_incident(opened=opened, content=content, files=[*kept, *files],
                         incident=incident)


# What is read and taken out of a locker (one audit event each) --------------------------------


@transaction.atomic
def export_bundle(*, locker: Locker, actor: User | None = None,
                  organisation: Organisation | None = None) -> None:
    """A bundle of the locker is exported: by the survivor (no actor), or by a handler it was
    shared with (actor and organisation named)."""
    record(action="evidence.bundle_exported", actor=actor, organisation=organisation,
           target=locker)


@transaction.atomic
def view_shared_locker(*, locker: Locker, actor: User, organisation: Organisation) -> None:
    """A handler opened a locker shared with them (one event per request that shows it)."""
    record(action="evidence.locker_viewed", actor=actor, organisation=organisation,
           target=locker)


@transaction.atomic
def download_shared_file(*, row: EvidenceFile, actor: User,
                         organisation: Organisation) -> None:
    """A handler downloaded a file of a locker shared with them."""
    record(action="evidence.file_downloaded", actor=actor, organisation=organisation,
           target=row)
