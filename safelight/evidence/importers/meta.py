"""Instagram and Facebook Messenger message files from "Download your information" (JSON).

::

    {"participants": [{"name": "Ann"}, {"name": "Robin"}],
     "messages": [
      {"sender_name": "Ann", "timestamp_ms": 1735681265000, "content": "Caf\\u00c3\\u00a9?",
       "photos": [{"uri": "your_instagram_activity/messages/inbox/ann_123/photos/1.jpg",
                   "creation_timestamp": 1735681265}],
       "share": {"link": "https://example.com/x", "share_text": "..."},
       "reactions": [{"reaction": "\\u00e2\\u009d\\u00a4", "actor": "Robin"}],
       "is_unsent": false, "type": "Generic"}],
     "title": "Ann", "is_still_participant": true, "thread_path": "inbox/ann_123"}

Meta writes text as UTF-8 bytes each escaped as a Latin-1 character ("\\u00c3\\u00a9" for "é"):
every string is repaired with `s.encode("latin-1").decode("utf-8")` when that round trip works,
and left alone when it does not (a string Meta wrote right, or with characters above U+00FF).
The newer Messenger export (end-to-end encrypted chats: "senderName", "timestamp", "text",
"media", "isUnsent") is read too. Messages are listed newest first, as in the file.

* `sender`: "sender_name"; `sent_at`: "timestamp_ms", aware (UTC); `text`: "content".
* `attachments`: the "uri" of each photo, video, audio file, file, GIF and sticker, and a shared
  link ("share"."link").
* `system`: for "Subscribe"/"Unsubscribe" messages (someone joined or left the group).
* `reference`: "message <n>", its place in the file's list from 1.
* `raw`: the message's JSON object, bytes exactly as in the file (escapes and all).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .base import Chunks, MediaFile, Message, Skipped
from .jsonstream import (
    JsonError,
    JsonReader,
    StopReading,
    clean,
    error_skipped,
    has_undecodable,
    objects,
)

__all__ = ["parse", "repair"]

_MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs", "media")
_SYSTEM_TYPES = {"Subscribe", "Unsubscribe"}
_BAD_BYTES = gettext_noop(
    "Some bytes in this message are not valid UTF-8 text; they are shown as �. The message "
    "was imported and its original bytes are kept."
)


def repair(text: str) -> str:
    """Undo Meta's mis-encoding ("CafÃ©" back to "Café") when that is what happened."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def parse(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The messages of an Instagram or Facebook message_N.json, as byte chunks."""
    reader = JsonReader(chunks)
    found = False
    try:
        first = reader.peek()
        if not first:
            yield Skipped("file", _("The file is empty."))
            return
        if first != "{":
            yield Skipped(
                "file",
                _("This JSON file is a list, not the object an Instagram or Facebook message "
                  "file holds; it was not read.")
                if first == "["
                else _("This is not a JSON file; it was not read."),
            )
            return
        for key in reader.members():
            if key == "messages" and reader.peek() == "[":
                found = True
                yield from _messages(reader)
            else:
                reader.skip()
        if reader.peek():
            yield Skipped("end of file", _("Text after the end of the JSON was ignored."))
    except StopReading:
        return
    except JsonError as error:
        yield error_skipped(error)
        return
    if not found:
        yield Skipped(
            "file",
            _('This JSON file holds no messages (no "messages" list); it is not an Instagram or '
              "Facebook message file."),
        )


def _messages(reader: JsonReader) -> Iterator[Message | Skipped]:
    for number, value, text, problem in objects(reader):
        reference = f"message {number}"
        if problem is not None:
            yield Skipped(reference, problem)
            continue
        if not isinstance(value, dict):
            yield Skipped(reference,
                          _("This item of the message list is not a message; skipped."))
            continue
        yield _message(value, text, reference)
        if reader.escaped_bytes and has_undecodable(text):
            yield Skipped(reference, _(_BAD_BYTES))


def _string(value: object) -> str:
    return clean(repair(value)) if isinstance(value, str) else ""


def _message(m: dict, text: str, reference: str) -> Message:
    raw = text.encode("utf-8", "surrogateescape")
    sender = _string(m.get("sender_name", m.get("senderName")))
    body = _string(m.get("content", m.get("text")))
    attachments = []
    for key in _MEDIA_KEYS:
        items = m.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("uri"), str):
                    attachments.append(_string(item["uri"]))
    sticker = m.get("sticker")
    if isinstance(sticker, dict) and isinstance(sticker.get("uri"), str):
        attachments.append(_string(sticker["uri"]))
    share = m.get("share")
    if isinstance(share, dict) and isinstance(share.get("link"), str):
        attachments.append(_string(share["link"]))
    return Message(
        sender,
        _when(m),
        body,
        attachments,
        hashlib.sha256(raw).digest(),
        raw,
        isinstance(m.get("type"), str) and m["type"] in _SYSTEM_TYPES,
        reference,
    )


def _when(m: dict) -> datetime.datetime | None:
    for key in ("timestamp_ms", "timestamp"):
        value = m.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            # milliseconds; a value below 10**11 is in seconds (older exports' "timestamp")
            seconds = value / 1000 if value >= 10**11 else value
            if seconds < 253402300799:  # before the year 10000
                return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return None
