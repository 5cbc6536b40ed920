"""Message-export importers: which formats there are, which one a file is, and reading it.

    key = detect(filename, first_bytes)        # None when no importer knows the file
    for item in parse(key, chunks):            # Message, MediaFile or Skipped, as they come
        ...

Every importer is a generator over the plaintext of one export, given as byte chunks; it holds
memory bounded whatever the size and yields a `Skipped` for whatever it cannot read, with the
reason in plain words, through gettext (the import runs while the survivor's request is answered,
so in her language; `safelight.evidence.importing` translates the references such as "line 12").
`parse` adds a last safety net: should an importer still fail, the import ends with a `Skipped`
instead of an exception (an error raised by the chunks themselves, such as a decryption failure,
is let through). The importers never raise `NotThisFormat`: a file that is plainly not their
format gives a `Skipped` with reference "file".

Linking media to messages: in a WhatsApp .zip, a `MediaFile`'s name is the file name the chat's
attachment line gives (unique in the archive), wherever it comes. In an SMS backup and in email,
a message's `MediaFile`s come right after its `Message`, named as its `attachments` list them
(such names repeat from one message to the next). After a `MediaFile`, a `Skipped` whose
reference is that file's name means its data turned out damaged: drop what was stored for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import email, meta, sms_backup, telegram, whatsapp
from .base import Chunks, Item, MediaFile, Message, NotThisFormat, Skipped
from .lines import CountedChunks

__all__ = [
    "FORMATS",
    "Chunks",
    "Item",
    "MediaFile",
    "Message",
    "NotThisFormat",
    "Skipped",
    "detect",
    "parse",
]

logger = logging.getLogger(__name__)

Importer = Callable[[Chunks], Iterator[Item]]

FORMATS: dict[str, tuple[Any, Importer]] = {  # labels are lazy translations
    "whatsapp_txt": (_("WhatsApp chat (.txt)"), whatsapp.parse),
    "whatsapp_zip": (_("WhatsApp chat with media (.zip)"), whatsapp.parse_zip),
    "sms_backup": (_("SMS Backup & Restore (.xml)"), sms_backup.parse),
    "eml": (_("Email message (.eml)"), email.parse_eml),
    "mbox": (_("Mailbox (.mbox)"), email.parse_mbox),
    "telegram": (_("Telegram Desktop export (result.json)"), telegram.parse),
    "meta": (_("Instagram or Facebook messages (message_1.json)"), meta.parse),
}

HEAD_BYTES = 4096  # how much of the file `detect` wants to see (more is fine)

_META_NAME = re.compile(r"message_\d+\.json")
_META_MARKS = (b'"participants"', b'"sender_name"', b'"timestamp_ms"', b'"senderName"',
               b'"threadName"', b'"thread_path"')
_TELEGRAM_MARKS = (b'"date_unixtime"', b'"personal_information"', b'"chats"', b'_chat"',
                   b'group"', b'"saved_messages"', b'channel"', b'"from_id"')
_HEADER = re.compile(rb"[A-Za-z0-9-]{1,76}[ \t]*:")


def detect(filename: str, head: bytes) -> str | None:
    """The key in FORMATS of a file, from its name and its first bytes (`HEAD_BYTES` or more)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    text = text.lstrip(b" \t\r\n")

    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "whatsapp_zip"
    if whatsapp.looks_like_chat(text):
        return "whatsapp_txt"
    if text.startswith(b"<"):
        if b"<smses" in head:
            return "sms_backup"
        return None
    if text.startswith((b"{", b"[")):
        if any(mark in head for mark in _META_MARKS) or _META_NAME.fullmatch(name):
            return "meta"
        if any(mark in head for mark in _TELEGRAM_MARKS) or name == "result.json":
            return "telegram"
        return None
    if head.startswith(b"From "):
        return "eml" if extension == "eml" else "mbox"
    if _HEADER.match(text):
        return "mbox" if extension == "mbox" else "eml"
    if not text:
        # An empty file: its name is all there is to go by.
        by_extension = {"zip": "whatsapp_zip", "txt": "whatsapp_txt", "xml": "sms_backup",
                        "eml": "eml", "mbox": "mbox"}
        if extension == "json":
            return "meta" if _META_NAME.fullmatch(name) else "telegram"
        return by_extension.get(extension)
    return None


def parse(format_key: str, chunks: Chunks) -> Iterator[Item]:
    """Read `chunks` (one export's plaintext) with the importer of `format_key`."""
    _label, importer = FORMATS[format_key]
    source = CountedChunks(chunks)
    try:
        yield from importer(source)
    except Exception as error:
        if source.failed:
            raise
        frame = error.__traceback__
        while frame is not None and frame.tb_next is not None:
            frame = frame.tb_next
        where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else "?"
        # The error's type and place only: its message could quote the survivor's data.
        logger.error("Importer %s failed with %s at %s", format_key, type(error).__name__, where)
        yield Skipped(
            "file",
            gettext("The import stopped at a problem Safelight did not expect; what came before "
                    "it was imported."),
        )
