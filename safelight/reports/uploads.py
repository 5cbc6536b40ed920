"""Uploads are encrypted as they arrive: no clear copy ever reaches memory in full or the disk.

Django's default handlers keep small uploads in memory and write large ones to a clear temporary
file. This handler replaces both (settings.FILE_UPLOAD_HANDLERS): each chunk is encrypted under a
fresh key straight into file storage. Past the server's hard limit the rest is discarded and the
file is marked too large, so the view can say so plainly. A file that no view claims is deleted
when the request ends (DiscardUnclaimedUploads), so a failed request leaves nothing behind.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse

from safelight.crypto import generate_key
from safelight.reports import storage

# The request's attribute listing the storage names of every file this request stored.
_STORED = "_encrypted_uploads"


class EncryptedUpload(UploadedFile):
    """A received file: its encrypted copy in storage and the key, held only in memory."""

    size: int  # always known: the bytes received (UploadedFile allows None)

    def __init__(
        self, *, name: str, content_type: str, size: int, storage_name: str, key: bytes,
        too_large: bool,
    ) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.storage_name = storage_name
        self.key = key
        self.too_large = too_large
        self.storage_failed = False
        self.claimed = False

    def close(self) -> None:
        pass  # nothing open: the encrypted copy is written and closed by the upload handler

    def read_plaintext(self) -> bytes:
        return storage.read_bytes(self.storage_name, self.key)

    def claim(self) -> None:
        """Keep the stored file past the end of the request (its key is now sealed elsewhere)."""
        self.claimed = True

    def __repr__(self) -> str:
        return f"<EncryptedUpload {self.storage_name}>"


class EncryptingUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.key = generate_key()
        self.received = 0
        self.too_large = False
        self.storage_failed = False
        self.writer: storage.EncryptedWriter | None = None
        try:
            self.writer = storage.EncryptedWriter(storage.new_name(), self.key)
        except OSError:
            self.storage_failed = True
            return
        uploads = getattr(self.request, _STORED, [])
        uploads.append(self.writer.name)
        setattr(self.request, _STORED, uploads)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > settings.SAFELIGHT_MAX_UPLOAD_BYTES:
            self.too_large = True  # keep reading the request, but store no more of this file
        elif self.writer is not None and not self.too_large and not self.storage_failed:
            try:
                self.writer.write(raw_data)
            except OSError:  # disk full, storage gone: say so on the page, lose nothing else
                self.storage_failed = True
        return None

    def file_complete(self, file_size: int) -> EncryptedUpload:
        if self.writer is not None and not self.storage_failed:
            try:
                self.writer.close()
            except OSError:
                self.storage_failed = True
        upload = EncryptedUpload(
            name=self.file_name or "",
            content_type=self.content_type or "",
            size=self.received,
            storage_name=self.writer.name if self.writer is not None else "",
            key=self.key,
            too_large=self.too_large,
        )
        upload.storage_failed = self.storage_failed
        return upload

    def upload_interrupted(self) -> None:
        writer = getattr(self, "writer", None)
        if writer is not None and not self.storage_failed:
            writer.abort()


class DiscardUnclaimedUploads:
    """Delete every stored upload of this request that no view claimed."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            claimed = set()
            files = getattr(request, "_files", None)
            if files is not None:
                claimed = {
                    f.storage_name
                    for _field, uploads in files.lists()
                    for f in uploads
                    if isinstance(f, EncryptedUpload) and f.claimed
                }
            for name in getattr(request, _STORED, []):
                if name not in claimed:
                    storage.delete(name)
