"""What every importer yields: messages, media files, and what it skipped and why.

An importer is a generator over the plaintext of one uploaded export, given as an iterable of
byte chunks (the upload decrypts as a stream; nothing is ever written to disk in clear). It keeps
memory bounded whatever the size of the export, never raises on malformed input, and yields a
`Skipped` for each part it could not read, with the reason in plain words.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class Message:
    """One message as the export shows it.

    `sha256` is the SHA-256 of the message's original bytes in the export (for a WhatsApp .txt,
    the bytes of its lines, newlines included; for an email, the whole RFC 5322 message; for a
    JSON export, the bytes of its JSON object as they appear in the file where that is cheap,
    otherwise its canonical re-encoding, said in `docs/evidence.md`). `raw` holds those bytes.
    """

    sender: str
    sent_at: datetime.datetime | None  # aware when the export says the zone, else naive local
    text: str
    attachments: list[str] = field(default_factory=list)  # names or references, as exported
    sha256: bytes = b""
    raw: bytes = b""
    system: bool = False  # a line the app wrote ("Messages are end-to-end encrypted", ...)
    reference: str = ""  # where it is in the export: "line 12", "message 3041", "mbox message 7"


@dataclass(slots=True)
class MediaFile:
    """A file inside an export (a photo in a WhatsApp .zip, an email attachment).

    `chunks` must be read to the end before the importer's next item is asked for.
    """

    name: str
    chunks: Iterator[bytes]


@dataclass(slots=True)
class Skipped:
    """Something the importer could not read: where (`reference`: "line 12", a file's name) and
    why (`reason`, in plain words for the survivor). The importer translates the reason where it
    makes it (gettext): an import runs while the survivor's request is answered, so it is in the
    language she uses. The reference stays as written here; safelight.evidence.importing
    translates it for her."""

    reference: str
    reason: str


Item = Message | MediaFile | Skipped


class NotThisFormat(Exception):
    """Raised before anything is yielded when the input is plainly not this importer's format."""


Chunks = Iterable[bytes]
