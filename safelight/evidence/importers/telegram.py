"""Telegram Desktop's JSON export (result.json), of one chat or of all chats.

One chat::

    {"name": "Ann", "type": "personal_chat", "id": 4242,
     "messages": [
      {"id": 1, "type": "message", "date": "2024-12-31T21:41:05", "date_unixtime": "1735681265",
       "from": "Ann", "from_id": "user4242", "text": ["see ", {"type": "bold", "text": "this"}],
       "photo": "photos/photo_1@31-12-2024_21-41-05.jpg", "width": 800, "height": 600},
      {"id": 2, "type": "service", "date": "...", "actor": "Ann", "actor_id": "user4242",
       "action": "pin_message", "message_id": 1, "text": ""}]}

All chats: {"about": ..., "personal_information": ..., "contacts": ..., "chats": {"about": ...,
"list": [<one chat as above>, ...]}, "left_chats": {"list": [...]}, ...}: the messages of every
chat in "chats" and "left_chats" are read; everything else is passed over without being held.

* `sender`: "from" ("actor" for a service message), else "from_id" (a deleted account has
  "from": null).
* `sent_at`: from "date_unixtime", aware (UTC); from "date" (local, naive) when that is missing.
* `text`: "text", a string or a list of strings and entities ({"type": "link", "text": ...}),
  joined; a shared location, contact or poll is added in words. A service message (group
  created, members added, message pinned, call...) is a Message with `system=True` whose text
  says the action ("invite members: Bob, Cy").
* `attachments`: "photo" and "file" as exported (a path in the export folder, or Telegram's
  "(File not included. ...)" when media were left out).
* `reference`: "message <id>", with the chat's name in front in an all-chats export.
* `raw`: the message's JSON object, bytes exactly as in the file.
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

__all__ = ["parse"]

_NAME_LIMIT = 1 << 16
_BAD_BYTES = gettext_noop(
    "Some bytes in this message are not valid UTF-8 text; they are shown as �. The message "
    "was imported and its original bytes are kept."
)


def parse(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The messages of a Telegram Desktop JSON export, as byte chunks."""
    reader = JsonReader(chunks)
    found = False
    try:
        first = reader.peek()
        if not first:
            yield Skipped("file", _("The file is empty."))
            return
        if first != "{":
            yield Skipped("file", _not_an_export(first))
            return
        for key in reader.members():
            if key == "messages" and reader.peek() == "[":
                found = True
                yield from _messages(reader, "")
            elif key in ("chats", "left_chats") and reader.peek() == "{":
                for inner in reader.members():
                    if inner == "list" and reader.peek() == "[":
                        for _index in reader.items():
                            if reader.peek() != "{":
                                reader.skip()
                                continue
                            chat = ""
                            for field in reader.members():
                                if field == "messages" and reader.peek() == "[":
                                    found = True
                                    yield from _messages(reader, chat)
                                elif field in ("name", "id") and not chat:
                                    value, _text = reader.value(limit=_NAME_LIMIT)
                                    if isinstance(value, str) and value:
                                        chat = clean(value)
                                    elif isinstance(value, int) and field == "id":
                                        chat = str(value)
                                else:
                                    reader.skip()
                    else:
                        reader.skip()
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
            _('This JSON file holds no Telegram messages (no "messages" list); it is not a '
              "Telegram Desktop export."),
        )


def _not_an_export(first: str) -> str:
    if first == "[":
        return _(
            "This JSON file is a list, not the object a Telegram Desktop export holds; it was not "
            "read."
        )
    return _("This is not a JSON file; it was not read.")


def _messages(reader: JsonReader, chat: str) -> Iterator[Message | Skipped]:
    prefix = f"chat \u201c{chat}\u201d, " if chat else ""
    for number, value, text, problem in objects(reader):
        if problem is not None:
            yield Skipped(f"{prefix}message number {number} in the list", problem)
            continue
        if not isinstance(value, dict):
            yield Skipped(
                f"{prefix}message number {number} in the list",
                _("This item of the message list is not a message; it was skipped."),
            )
            continue
        message = _message(value, text, prefix)
        yield message
        if reader.escaped_bytes and has_undecodable(text):
            yield Skipped(message.reference, _(_BAD_BYTES))


def _message(m: dict, text: str, prefix: str) -> Message:
    raw = text.encode("utf-8", "surrogateescape")
    ident = m.get("id")
    reference = f"{prefix}message {ident}" if isinstance(ident, int | str) else f"{prefix}message"
    system = m.get("type") == "service"
    sender = _string(m.get("actor") if system else m.get("from"))
    if not sender:
        sender = _string(m.get("actor_id") if system else m.get("from_id"))
    body = _text(m.get("text"))
    extra = _extras(m)
    if system:
        action = _action(m)
        body = f"{action}\n{body}" if body and action else body or action
    if extra:
        body = f"{body}\n{extra}" if body else extra
    attachments = [
        clean(m[key]) for key in ("photo", "file") if isinstance(m.get(key), str) and m[key]
    ]
    return Message(
        sender,
        _when(m),
        body,
        attachments,
        hashlib.sha256(raw).digest(),
        raw,
        system,
        reference,
    )


def _string(value: object) -> str:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _text(value: object) -> str:
    """Telegram's text: a string, or a list of strings and {"type": ..., "text": ...} entities."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        pieces = []
        for piece in value:
            if isinstance(piece, str):
                pieces.append(piece)
            elif isinstance(piece, dict) and isinstance(piece.get("text"), str):
                pieces.append(piece["text"])
        return clean("".join(pieces))
    return ""


_LAST_SECOND = 253402300799  # 9999-12-31 23:59:59 UTC


def _when(m: dict) -> datetime.datetime | None:
    unix = m.get("date_unixtime")
    if isinstance(unix, str) and unix.isascii() and unix.isdigit() and len(unix) <= 12:
        unix = int(unix)
    if isinstance(unix, int) and not isinstance(unix, bool) and 0 <= unix <= _LAST_SECOND:
        return datetime.datetime.fromtimestamp(unix, tz=datetime.UTC)
    date = m.get("date")
    if isinstance(date, str) and len(date) <= 40:
        try:
            return datetime.datetime.fromisoformat(date)
        except ValueError:
            return None
    return None


def _action(m: dict) -> str:
    action = _string(m.get("action")).replace("_", " ")
    details = []
    title = m.get("title")
    if isinstance(title, str) and title:
        details.append(f"\u201c{clean(title)}\u201d")
    members = m.get("members")
    if isinstance(members, list):
        names = [clean(x) for x in members if isinstance(x, str)]
        if names:
            details.append(", ".join(names))
    duration = m.get("duration_seconds")
    if isinstance(duration, int) and not isinstance(duration, bool):
        details.append(f"{duration} s")
    reason = m.get("discard_reason")
    if isinstance(reason, str) and reason:
        details.append(clean(reason))
    if not details:
        return action
    return f"{action}: {'; '.join(details)}" if action else "; ".join(details)


def _extras(m: dict) -> str:
    """A shared location, contact or poll, in words."""
    lines = []
    place = m.get("location_information")
    if isinstance(place, dict):
        lat, lon = place.get("latitude"), place.get("longitude")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            lines.append(f"Location: {lat}, {lon}")
    contact = m.get("contact_information")
    if isinstance(contact, dict):
        words = [
            clean(contact[k])
            for k in ("first_name", "last_name", "phone_number")
            if isinstance(contact.get(k), str) and contact[k]
        ]
        if words:
            lines.append("Contact: " + " ".join(words))
    poll = m.get("poll")
    if isinstance(poll, dict) and isinstance(poll.get("question"), str):
        lines.append("Poll: " + clean(poll["question"]))
    return "\n".join(lines)
