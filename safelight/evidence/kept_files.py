"""Files kept across an incident form's error (IncidentDraftFile), as the open locker reads them.

A file chosen on the incident form is encrypted as it arrives (safelight.reports.uploads). When the
form cannot be saved, the encrypted copy is kept and its key sealed under the locker key
(safelight.evidence.actions.keep_draft_files); the re-shown form lists it as already attached,
with a box to remove it, and carries its id, so the next Save includes it. Only the open locker
can read a kept file's name, type and key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from safelight.evidence.models import IncidentDraftFile
from safelight.evidence.opened import PURPOSE, OpenLocker
from safelight.reports.sealing import open_json, unb64
from safelight.reports.uploads import EncryptedUpload


@dataclass(frozen=True)
class KeptFile:
    id: str
    name: str
    size: int


def _meta(opened: OpenLocker, row: IncidentDraftFile) -> dict:
    return open_json(opened.key, bytes(row.sealed_meta), purpose=PURPOSE, object_id=row.pk,
                     field="draft-meta")


def kept_files(opened: OpenLocker, ids: list[str] | None = None) -> list[KeptFile]:
    """The locker's kept files that have not expired (only those of `ids`, when given)."""
    rows = IncidentDraftFile.objects.filter(locker=opened.locker, expires_at__gt=timezone.now())
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return [KeptFile(id=str(row.pk), name=_meta(opened, row)["name"], size=row.size)
            for row in rows]


def upload_of(opened: OpenLocker, row: IncidentDraftFile) -> EncryptedUpload:
    """A kept file as the upload it was, for safelight.evidence.actions.save_incident."""
    meta = _meta(opened, row)
    return EncryptedUpload(name=meta["name"], content_type=meta["type"], size=row.size,
                           storage_name=row.storage_name, key=unb64(meta["key"]),
                           too_large=False)
