"""WhatsApp chat exports: the .txt, and the .zip with the chat's media.

Line formats, as the apps write them (one precompiled pattern reads them all)::

    12/31/24, 9:41 PM - Name: text            Android, month first, 12-hour clock
    12/31/24, 9:41\u202fPM - Name: text       newer Android: narrow no-break space before PM
    31/12/2024, 21:41 - Name: text            Android, day first, 24-hour clock
    [31/12/2024, 21:41:05] Name: text         iOS, 24-hour clock
    \u200e[12/31/24, 9:41:05 PM] Name: text   iOS, 12-hour clock, left-to-right mark in front

Dates may also use dots or dashes (31.12.24) or put the year first (2024-12-31). Whether a date is
day first or month first is decided once per file from the data: the first date whose first field
is over 12 makes the file day first, one whose second field is over 12 makes it month first. The
parser reads ahead (at most `LOOKAHEAD_BYTES`) to find such a date; when none is found, a file
with 12-hour times and two-digit years is taken as month first (the US format), any other as day
first. Times carry no zone, so `sent_at` is naive local time as the phone showed it.

A line that does not start with a date and time continues the message above it (WhatsApp writes
multi-line messages as they are). A line with no "Name: " after the time is a line the app wrote
(group changes, "Messages and calls are end-to-end encrypted", ...) and becomes a Message with
`system=True` and no sender; so does an iOS line whose text starts with a left-to-right mark and
says what the app says (iOS names the chat as its sender). Attachments are recognised in either
form, "IMG-20241231-WA0003.jpg (file attached)" (Android) or "\u200e<attached: 00000012-PHOTO-...
.jpg>" (iOS): the file name goes to `attachments` and out of `text` (a caption stays).
"<Media omitted>" (an export without media) stays as text.

`raw` is the message's lines as bytes, newlines included, so that the raws of all messages and the
skipped lines put together give back the file.

What is skipped, with a reason: a line longer than 1 MiB, a line of binary noise (control
characters) inside the chat, text before the first message, and, as a note (the message itself
is kept with U+FFFD in their place), bytes that are not UTF-8. A message is yielded when the
next one starts, so a line skipped inside a message comes out before that message.

In a .zip (read front to back with stream-unzip, since the upload decrypts as a stream and cannot
seek), the chat's .txt is parsed when it is reached and every other member is yielded as a
`MediaFile` named by its base name, as the chat's attachment lines name it, whether it comes
before or after the text. A member whose data turns out damaged while its chunks are read ends
early; the item after its `MediaFile` is then a `Skipped` with the same name as its reference,
and the caller should drop what it stored. After a checksum mismatch the next member is read;
after anything else (data that does not inflate, an archive cut short, encrypted, not a zip, or
a "zip bomb": over `BOMB_RATIO` times more out than in, past `BOMB_MIN_BYTES`) the import ends
with that `Skipped`, and what came before it stays.

A line is a message's start only if it matches `LINE`; a message that spans lines has its raw
bytes and text joined. The hot loop runs at about 200,000 typical lines a second on one core of
the development machine (2 shared cores, Python 3.11), about 12 MB/s.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stream_unzip import (
    CRC32IntegrityError,
    MissingPasswordError,
    NotStreamUnzippable,
    PasswordError,
    SizeIntegrityError,
    TruncatedDataError,
    UnsupportedFeatureError,
    UnzipError,
    stream_unzip,
)

from .base import Chunks, MediaFile, Message, Skipped
from .lines import MAX_LINE, CountedChunks, OverlongLine, iter_lines

__all__ = ["looks_like_chat", "parse", "parse_zip"]

LOOKAHEAD_BYTES = 4 << 20  # read at most this far ahead to tell day-first from month-first dates
LOOKAHEAD_LINES = 100_000  # ... and at most this many lines (empty lines cost memory too)

# One pattern for every timestamp form. Groups: 1 "[" (iOS), 2-4 date fields, 5-7 time,
# 8 "a"/"p" of AM/PM. `LINE.match(line).end()` is where "Name: text" starts.
LINE = re.compile(
    rb"(?:\xef\xbb\xbf)?+(?:\xe2\x80\x8e)?+"  # a byte order mark; iOS's left-to-right mark
    rb"(\[)?+(\d{1,4}+)[./-](\d{1,2}+)[./-](\d{1,4}+),?+ "
    rb"(\d{1,2}+)[:.](\d\d)(?:[:.](\d\d))?+"
    rb"(?:(?: |\xe2\x80\xaf|\xc2\xa0)?+([AaPp])\.?+ ?+[Mm]\.?+)?+"  # AM, p. m.; narrow space
    rb"(?:\] | - )"
)  # possessive quantifiers (++, ?+): no backtracking, a third faster

# Control characters that no chat text holds: a line with them inside a chat is binary noise.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")

_ANDROID_ATTACHED = re.compile(
    r"(.+?) \((?:file attached|Datei angehängt|archivo adjunto|fichier joint|arquivo anexado"
    r"|file allegato|bestand bijgevoegd)\)"
)
_IOS_ATTACHED = re.compile(
    r"<(?:attached|Anhang|adjunto|pièce jointe|anexo|allegato|bijlage) ?: (.+?)>"
)
# What the iOS app writes, under the chat's name as sender and behind a left-to-right mark.
_IOS_SYSTEM = re.compile(
    r"Messages and calls are end-to-end encrypted|Messages to this (?:group|chat) are now"
    r"|Your security code with|.* (?:created (?:the )?group|created this group|added|removed|left"
    r"|joined using|changed (?:the|this) group|changed the (?:subject|group)|changed their phone"
    r"|changed to \+|was added|pinned a message|turned (?:on|off) disappearing|is a contact)"
    r"|You (?:created|added|removed|left|joined|changed|were added|pinned|turned|deleted this)"
    r"|You're now an admin|You're no longer an admin|This chat is with a business"
)

_NAME_JUNK = "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069 "

_DAY_FIRST, _MONTH_FIRST = 0, 1


def looks_like_chat(head: bytes) -> bool:
    """Whether `head` (the first bytes of a file) starts like a WhatsApp chat export."""
    return LINE.match(head.lstrip(b"\r\n")) is not None


def parse(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The messages of a WhatsApp chat .txt, as byte chunks."""
    lines = iter_lines(chunks, MAX_LINE)
    head: list[bytes | OverlongLine] = []
    order = None
    us_hint = False
    seen_line = False
    size = 0
    for line in lines:
        head.append(line)
        if type(line) is not bytes:
            size += MAX_LINE
        else:
            size += len(line)
            m = LINE.match(line)
            if m is not None:
                seen_line = True
                first, second, year = m.group(2, 3, 4)
                if len(first) > 2:  # year first (2024-12-31): it says nothing of the others
                    pass
                elif int(first) > 12:
                    order = _DAY_FIRST
                    break
                if int(second) > 12:
                    order = _MONTH_FIRST
                    break
                if m.group(8) is not None and len(year) == 2:
                    us_hint = True
        if size > LOOKAHEAD_BYTES or len(head) > LOOKAHEAD_LINES:
            break
    if not head:
        yield Skipped("file", _("The file is empty."))
        return
    if not seen_line:
        if not any(type(x) is not bytes or x.strip() for x in head):
            yield Skipped("file", _("The file is empty."))
        else:
            yield Skipped(
                "file",
                _("This does not look like a WhatsApp chat export: no line in it (or in its first "
                  "4 MB) starts with a date and time."),
            )
        return
    if order is None:
        order = _MONTH_FIRST if us_hint else _DAY_FIRST
    rest = iter(head)
    del head
    yield from _messages(chain(rest, lines), order)


def _messages(lines: Iterable[bytes | OverlongLine], order: int) -> Iterator[Message | Skipped]:
    """Messages from lines; the hot loop, written out in one function for speed."""
    match = LINE.match
    binary = _BINARY.search
    sha256 = hashlib.sha256
    new_datetime = datetime.datetime
    new_message = Message
    android_attached = _ANDROID_ATTACHED.fullmatch
    ios_attached = _IOS_ATTACHED.fullmatch
    dates: dict[tuple[bytes, bytes, bytes], tuple[int, int, int] | None] = {}

    n = 0
    # The message being read: the number of its first line, that line, where "Name: text"
    # starts in it, its timestamp's fields, and its further lines (None while it has one).
    start = 0
    first: bytes | None = None
    body_at = 0
    fields: tuple = ()
    more: list[bytes] | None = None

    for line in chain(lines, _END):
        n += 1
        if line is not None:
            if type(line) is not bytes:
                assert isinstance(line, OverlongLine)  # what iter_lines gives instead of a line
                yield Skipped(
                    f"line {n}",
                    _("This line is %(size)s bytes long, too long for a chat message; it was "
                      "skipped.") % {"size": f"{line.size:,}"},
                )
                continue
            m = match(line)
            if m is None:
                if first is None:
                    if line.strip():
                        yield Skipped(f"line {n}", _(_BEFORE_FIRST))
                    continue
                if binary(line) is not None:
                    yield Skipped(f"line {n}", _(_NOISE))
                    continue
                if more is None:
                    more = [line]
                else:
                    more.append(line)
                continue
        if first is not None:
            # The message that began at line `start` is complete: make it.
            f1, f2, f3, hour, minute, second, ampm = fields
            ymd: tuple[int, int, int] | Literal[False] | None = dates.get((f1, f2, f3), False)
            if ymd is False:
                ymd = _date(f1, f2, f3, order)
                if len(dates) > 4096:
                    dates.clear()
                dates[(f1, f2, f3)] = ymd
            sent_at = None
            if ymd is not None:
                hour = int(hour)
                minute = int(minute)
                second = int(second) if second is not None else 0
                if ampm is not None:
                    # 12 AM is 0:00, 12 PM is 12:00; an hour over 12 with AM/PM is no time
                    hour = hour % 12 + (12 if ampm in b"Pp" else 0) if 1 <= hour <= 12 else 99
                if hour < 24 and minute < 60 and second < 60:
                    sent_at = new_datetime(ymd[0], ymd[1], ymd[2], hour, minute, second)
            if more is None:
                raw = first
                body = first[body_at:]
            else:
                raw = first + b"".join(more)
                body = raw[body_at:]
            colon = body.find(b": ")
            system = colon < 0
            bad_bytes = False
            if system:
                sender = ""
            else:
                head = body[:colon]
                if b'"' in head or b"\xe2\x80\x9c" in head or b"\xe2\x80\x9d" in head:
                    system = True  # 'Ann changed the subject from "a: b"' has no sender
                    sender = ""
                else:
                    body = body[colon + 2 :]
                    try:
                        sender = head.decode()
                    except UnicodeDecodeError:
                        sender = head.decode(errors="replace")
                        bad_bytes = True
            try:
                text = body.decode()
            except UnicodeDecodeError:
                text = body.decode(errors="replace")
                bad_bytes = True
            if text.endswith("\n"):
                text = text.rstrip("\r\n")
            if "\r" in text:
                text = text.replace("\r\n", "\n")
            attachments = []
            if system:
                if text.startswith("\u200e"):
                    text = text.lstrip("\u200e")
            else:
                if not sender.isascii():
                    sender = sender.strip(_NAME_JUNK)
                mark = text.startswith("\u200e")
                if mark:
                    text = text.lstrip("\u200e")
                newline = text.find("\n")
                head_text = text if newline < 0 else text[:newline]
                if mark or head_text.endswith(")") or head_text.startswith("<"):
                    a = android_attached(head_text) or ios_attached(head_text)
                    if a is not None:
                        attachments.append(a.group(1).strip("\u200e"))
                        text = "" if newline < 0 else text[newline + 1 :]
                    elif mark and _IOS_SYSTEM.match(head_text):
                        system = True
                        sender = ""  # iOS names the chat as the sender of what the app writes
            reference = f"line {start}"
            yield new_message(
                sender, sent_at, text, attachments, sha256(raw).digest(), raw, system, reference
            )
            if bad_bytes:
                yield Skipped(reference, _(_BAD_BYTES))
        if line is None:
            break
        start = n
        first = line
        assert m is not None  # a line that does not start a message was taken as more above
        body_at = m.end()
        fields = m.group(2, 3, 4, 5, 6, 7, 8)
        more = None


_END = (None,)
# Reasons for the survivor, marked here and translated (_) where a Skipped is made, during the
# import.
_BEFORE_FIRST = gettext_noop(
    "This line is not part of a message (it comes before the first line with a date and time)."
)
_NOISE = gettext_noop("This line holds unreadable binary data, not chat text; it was skipped.")
_BAD_BYTES = gettext_noop(
    "Some bytes in this message are not valid UTF-8 text; they are shown as �. "
    "The message was imported and its original bytes are kept."
)


def _date(first: bytes, second: bytes, third: bytes, order: int) -> tuple[int, int, int] | None:
    """(year, month, day) of a date's three fields, or None when it is not a date."""
    if len(first) > 2:
        if len(first) != 4:
            return None
        year, month, day = int(first), int(second), int(third)
    else:
        if order == _DAY_FIRST:
            day, month = int(first), int(second)
        else:
            month, day = int(first), int(second)
        if len(third) == 2:
            year = 2000 + int(third)
        elif len(third) == 4:
            year = int(third)
        else:
            return None
    if not (1 <= month <= 12 and 1 <= year <= 9999 and day >= 1):
        return None
    if day > _DAYS[month] or (month == 2 and day == 29 and not _leap(year)):
        return None
    return (year, month, day)


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- the .zip -------------------------------------------------------------------------------

BOMB_RATIO = 100  # uncompressed bytes per compressed byte, over the archive so far
BOMB_MIN_BYTES = 8 << 20  # the ratio is only checked past this many uncompressed bytes
# However well it compresses, no export unpacks to more than this (a 3.6 MB zip at a ratio under
# the limit once unpacked 304 MB); the locker's own limits apply on top (evidence.importing).
BOMB_MAX_BYTES = 256 << 20
_CHAT_NAME = re.compile(r"(?:_chat|WhatsApp Chat.*|WhatsApp-Chat.*|Chat de WhatsApp.*)\.txt", re.I)
_UNZIP_ERRORS = (UnzipError, zlib.error, ValueError, EOFError, OSError, IndexError, KeyError)


class _Member:
    __slots__ = ("can_go_on", "error", "written")

    def __init__(self) -> None:
        self.error: str | None = None
        self.written = 0
        # After a checksum or size mismatch the file's data was read to its end, so the next
        # file can be read; after any other error, where the next one starts is not known.
        self.can_go_on = True


def parse_zip(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The messages and media of a WhatsApp export .zip, as byte chunks."""
    source = CountedChunks(chunks)
    blocks = _Blocks(source)
    members = stream_unzip(blocks)
    total = [0]
    chat_found = False
    any_member = False
    while True:
        try:
            raw_name, _size, data = next(members)
        except StopIteration:
            break
        except _UNZIP_ERRORS as error:
            if source.failed:
                raise
            if not any_member and blocks.given == 0:
                yield Skipped("file", _("The file is empty."))
            elif not any_member and isinstance(error, UnzipError) and (
                type(error).__name__ == "UnexpectedSignatureError"
            ):
                yield Skipped("file",
                              _("This is not a ZIP archive, or it is damaged at its start."))
            else:
                yield Skipped("archive", _archive_reason(error))
            return
        any_member = True
        name = _member_name(raw_name)
        state = _Member()
        body = _checked(data, state, blocks, total)
        if name.endswith("/") or not name:
            for _chunk in body:
                pass
        elif not chat_found and name.lower().endswith(".txt"):
            first, body = _peek(body)
            if _CHAT_NAME.fullmatch(name) or looks_like_chat(first):
                chat_found = True
                yield from parse(body)
            else:
                yield MediaFile(name, body)
        else:
            yield MediaFile(name, body)
        if state.error is None:
            for _chunk in body:
                pass
        if state.error is not None:
            yield Skipped(name, state.error)
            if not state.can_go_on:
                return  # where the next file starts is lost
    if not any_member:
        yield Skipped("file", _("The archive holds no files."))
    elif not chat_found:
        yield Skipped("archive", _("The archive holds no WhatsApp chat (.txt file)."))


_BOMB = gettext_noop(
    "The archive expands to far more than a real export would (a “zip bomb”); reading "
    "stopped here."
)


def _checked(data: Iterator[bytes], state: _Member, blocks: _Blocks, total: list[int]):
    """A member's chunks; a damaged member ends early with `state.error` saying why."""
    try:
        for chunk in data:
            state.written += len(chunk)
            total[0] += len(chunk)
            if total[0] > BOMB_MAX_BYTES or (
                total[0] > BOMB_MIN_BYTES and total[0] > BOMB_RATIO * max(blocks.given, 1)
            ):
                state.error = _(_BOMB)
                state.can_go_on = False
                return
            yield chunk
    except _UNZIP_ERRORS as error:
        if blocks.source.failed:
            raise
        state.error = _member_reason(error)
        state.can_go_on = isinstance(error, CRC32IntegrityError | SizeIntegrityError)


class _Blocks:
    """The upload's bytes in blocks of `BLOCK` bytes, however its chunks were cut.

    stream-unzip, like zlib beneath it, keeps the output it made from a chunk when the next
    chunk turns out damaged, and loses it when the damage is in the same chunk: fixed blocks make
    what a damaged archive yields the same for every way the upload is cut.
    """

    BLOCK = 1 << 16

    def __init__(self, source: CountedChunks) -> None:
        self.source = source
        self.given = 0  # bytes handed to stream-unzip

    def __iter__(self) -> Iterator[bytes]:
        pending = bytearray()
        for chunk in self.source:
            pending += chunk
            while len(pending) >= self.BLOCK:
                block = bytes(pending[: self.BLOCK])
                del pending[: self.BLOCK]
                self.given += len(block)
                yield block
        if pending:
            self.given += len(pending)
            yield bytes(pending)


def _peek(body: Iterator[bytes]) -> tuple[bytes, Iterator[bytes]]:
    """The first 64 KiB (or first line) of `body`, and `body` with them put back."""
    got: list[bytes] = []
    size = 0
    for chunk in body:
        got.append(chunk)
        size += len(chunk)
        if size >= 65536 or b"\n" in chunk:
            break
    return b"".join(got), chain(got, body)


def _member_name(raw: bytes) -> str:
    try:
        name = raw.decode()
    except UnicodeDecodeError:
        name = raw.decode("cp437")
    if name.endswith("/"):
        return name
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _member_reason(error: BaseException) -> str:
    if isinstance(error, CRC32IntegrityError | SizeIntegrityError):
        return _(
            "This file in the archive is damaged (its checksum does not match); do not rely on it."
        )
    if isinstance(error, TruncatedDataError):
        return _(_CUT_INSIDE)
    return _(
        "This file in the archive could not be unpacked: the archive is damaged from here on; "
        "what came before was imported."
    )


_CUT_INSIDE = gettext_noop(
    "The archive is cut short inside this file (the upload may be incomplete); what came before "
    "was imported."
)


def _archive_reason(error: BaseException) -> str:
    if isinstance(error, MissingPasswordError | PasswordError):
        return _(
            "The archive is protected with a password, which Safelight cannot open; export the "
            "chat again without one."
        )
    if isinstance(error, TruncatedDataError):
        return _(
            "The archive is cut short (the upload may be incomplete); what came before was "
            "imported."
        )
    if isinstance(error, NotStreamUnzippable | UnsupportedFeatureError):
        return _(
            "The archive uses a ZIP feature that cannot be read as a stream; what came before "
            "was imported."
        )
    return _("The archive is damaged from here on; what came before was imported.")
