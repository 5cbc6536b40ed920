"""Encrypted files on disk: every byte written here is a secretstream ciphertext.

A file's stream is bound to its storage name (associated data), so one file's ciphertext cannot
be passed off as another's. Names are random; nothing about the file shows in them.
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from safelight.crypto import StreamEncryptor, iter_decrypt

PURPOSE = "file"
FIELD = "content"


def new_name() -> str:
    return uuid.uuid4().hex


def path_for(name: str) -> Path:
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("not a storage name")
    return Path(settings.MEDIA_ROOT) / name[:2] / name


class EncryptedWriter:
    """Write plaintext in pieces; the file on disk only ever holds ciphertext.

    On any failure before `close()` the partial file is removed, so nothing is left behind.
    """

    def __init__(self, name: str, key: bytes) -> None:
        self.name = name
        self.path = path_for(name)
        make_private_dir(self.path.parent)
        # 0600 whatever the umask: only Safelight's account may read even the ciphertext.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._encryptor = StreamEncryptor(key, purpose=PURPOSE, object_id=name, field=FIELD)
        self.plaintext_size = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        try:
            out = self._encryptor.update(data)
            self._file.write(out)
        except BaseException:
            self.abort()
            raise
        self.plaintext_size += len(data)
        self.size += len(out)

    def close(self) -> None:
        try:
            out = self._encryptor.finalize()
            self._file.write(out)
            self._file.close()
        except BaseException:
            self.abort()
            raise
        self.size += len(out)

    def abort(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parent up to MEDIA_ROOT, each 0700 whatever the umask."""
    if path.is_dir():
        return
    root = Path(settings.MEDIA_ROOT)
    if root in path.parents:
        make_private_dir(path.parent)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def write_bytes(name: str, key: bytes, data: bytes) -> int:
    """Encrypt `data` into a new file; return the stored size."""
    writer = EncryptedWriter(name, key)
    view = memoryview(data)
    for start in range(0, len(view), 1024 * 1024):
        writer.write(bytes(view[start : start + 1024 * 1024]))
    writer.close()
    return writer.size


def iter_plaintext(name: str, key: bytes) -> Iterator[bytes]:
    """The file's plaintext in pieces, each authenticated before it is yielded."""
    with open(path_for(name), "rb") as src:
        yield from iter_decrypt(key, src, purpose=PURPOSE, object_id=name, field=FIELD)


def read_bytes(name: str, key: bytes) -> bytes:
    return b"".join(iter_plaintext(name, key))


def delete(name: str) -> None:
    path_for(name).unlink(missing_ok=True)


# A stored file that no row names is removed once it is older than this: far longer than the
# longest upload or import can take (a file written inside a transaction has no visible row
# until that transaction commits, and an import of a large export streams for minutes).
ORPHAN_AGE = datetime.timedelta(hours=6)
_BATCH = 500


def _referencing_fields() -> list[tuple[type[models.Model], str]]:
    """Every model field that holds a storage name, in whichever app: found by its name, so this
    lower layer knows nothing of the apps above it."""
    return [(model, "storage_name") for model in apps.get_models()
            if any(f.name == "storage_name" for f in model._meta.get_fields())]


def orphaned_names(*, now: datetime.datetime) -> list[str]:
    """Names of stored files older than ORPHAN_AGE that no row references (a killed worker, a
    timeout or an out-of-memory kill can leave a partial file behind)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    cutoff = (now - ORPHAN_AGE).timestamp()
    old = []
    for folder in root.iterdir():
        if not folder.is_dir() or len(folder.name) != 2:
            continue
        for path in folder.iterdir():
            try:
                path_for(path.name)
            except ValueError:
                continue  # not a name this module gave: leave it alone
            if path.stat().st_mtime < cutoff:
                old.append(path.name)
    fields = _referencing_fields()
    orphans = []
    for start in range(0, len(old), _BATCH):
        batch = set(old[start : start + _BATCH])
        for model, field in fields:
            batch -= set(model._default_manager.filter(**{f"{field}__in": batch})
                         .values_list(field, flat=True))
        orphans.extend(sorted(batch))
    return orphans
