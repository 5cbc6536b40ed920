"""The check's upload is held in memory for the request and never written anywhere.

The project's own handler (safelight.reports.uploads) encrypts uploads into file storage; the
check keeps nothing, so its view swaps in this handler: one file, at most the engine's cap and
one byte more (so the engine can say the file was larger), in memory; the rest of a larger file
is read from the request and dropped. Other files in the request are dropped as they arrive.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


class CappedMemoryUpload(FileUploadHandler):
    def __init__(self, request: HttpRequest, *, field: str, limit: int) -> None:
        super().__init__(request)
        self.field = field
        self.limit = limit
        self.kept = False  # a file was already taken: any other is dropped
        self.buffer: io.BytesIO | None = None
        self.received = 0

    def new_file(self, field_name: str, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.buffer = io.BytesIO() if field_name == self.field and not self.kept else None
        self.kept = self.kept or self.buffer is not None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.buffer is not None:
            room = self.limit + 1 - self.buffer.tell()
            if room > 0:
                self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name="upload",
            content_type="application/octet-stream", size=self.received, charset=None,
        )
        self.buffer = None
        return upload
