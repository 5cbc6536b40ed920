"""From a received upload to a stored evidence file: limits, type by content, hidden details.

The plaintext is held in memory only while it is checked and cleaned (bounded by the channel's
per-file limit); the copy that stays in storage is always encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from safelight.crypto import generate_key
from safelight.intake import filetypes
from safelight.reports import storage
from safelight.reports.uploads import EncryptedUpload


class FileRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class PreparedFile:
    storage_name: str
    key: bytes
    size: int
    details: dict[str, Any]
    upload: EncryptedUpload
    cleaned_copy: bool

    def keep(self) -> None:
        """The file is now referenced by a stored row: keep it past the request."""
        if not self.cleaned_copy:
            self.upload.claim()

    def drop(self) -> None:
        """Storing the row failed: remove the cleaned copy (the upload goes at request end)."""
        if self.cleaned_copy:
            storage.delete(self.storage_name)


def prepare(
    upload: EncryptedUpload, *, max_bytes: int, room_left: int, keep_details: bool,
    question: str = "",
) -> PreparedFile:
    """Check an upload and, unless the person chose to keep them, remove its hidden details.

    Raises FileRejected with a plain message naming the file.
    """
    name = upload.name or _("your file")
    if upload.storage_failed:
        raise OSError("the upload could not be stored")
    if upload.too_large or upload.size > max_bytes:
        raise FileRejected(
            _("“%(name)s” is larger than %(limit)s, the most this form takes for one file.")
            % {"name": name, "limit": filesizeformat(max_bytes)}
        )
    if upload.size > room_left:
        raise FileRejected(
            _(
                "“%(name)s” does not fit: all files of one report together can be at most "
                "%(limit)s. You could leave out a file, or send more later from the follow-up page."
            )
            % {"name": name, "limit": filesizeformat(max(room_left, 0))}
        )
    data = upload.read_plaintext()
    try:
        kind = filetypes.identify(data, name=upload.name or "")
        filetypes.check(data, kind)
        present = [str(label) for label in filetypes.hidden_details(data, kind)]
        removed: list[str] = []
        if kind.cleanable and not keep_details:
            cleaned = filetypes.clean(data, kind)
            data = cleaned.data
            removed = [str(label) for label in cleaned.removed]
    except filetypes.FileProblem as problem:
        raise FileRejected(f"“{name}”: {problem.message}") from problem
    details = {
        "name": name,
        "kind": str(kind.label),
        "content_type": kind.content_type,
        "question": question,
        "removed": removed,
        "kept": present if kind.cleanable and keep_details else [],
        "warning": present if not kind.cleanable else [],
    }
    if kind.cleanable and not keep_details:
        key = generate_key()
        name_in_storage = storage.new_name()
        storage.write_bytes(name_in_storage, key, data)
        return PreparedFile(name_in_storage, key, len(data), details, upload, cleaned_copy=True)
    return PreparedFile(upload.storage_name, upload.key, upload.size, details, upload, False)


def prepare_for_message(
    uploads, *, report, keep_details: bool
) -> tuple[list[PreparedFile], list[str]]:
    """Prepare the files sent with a message on a report, within the channel's limits.

    Returns the prepared files and a plain message for each file that could not be taken; the
    caller sends nothing (and drops the prepared ones) when there is any.
    """
    prepared: list[PreparedFile] = []
    errors: list[str] = []
    channel = report.channel
    used = report.attachments.aggregate(total=Sum("size"))["total"] or 0
    for upload in uploads:
        try:
            item = prepare(upload, max_bytes=channel.max_file_bytes,
                           room_left=channel.max_report_bytes - used, keep_details=keep_details)
        except FileRejected as rejected:
            errors.append(rejected.message)
            continue
        except OSError:
            errors.append(_("We could not store “%(name)s” just now. Please try again.")
                          % {"name": upload.name})
            continue
        used += item.size
        prepared.append(item)
    return prepared, errors
