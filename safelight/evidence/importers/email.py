"""Email: one message (.eml) or a mailbox (.mbox).

An mbox is messages one after the other, each behind a "From " line (the From_ line, which is
not part of the message) and followed by an empty line. A body line that started with "From "
was written as ">From " (and ">From " as ">>From ", in the mboxrd variant); the parser removes one
">" before reading the message, which reads mboxo and mboxrd alike. The file is cut at its From_
lines by searching the byte stream, so no message is ever held beyond `MAX_MESSAGE_BYTES`
(50 MiB): a bigger one is skipped with a reason, and so is text before the first From_ line.

`raw` is the message's bytes as in the file: for an mbox without its From_ line and without the
empty line that ends it, with any ">From " quoting kept; for an .eml, the whole file.

Each message is read with the standard library's `email` package, with the `compat32` policy,
for speed: the `default` policy parses every structured header with its full RFC 5322 grammar and
reads about 0.4 MB of mail a second here, `compat32` 9 MB/s. Headers are then decoded here:
encoded words (RFC 2047) and raw UTF-8 in From and the attachment names. A message's header block
is parsed on its own, and a multipart body cut at its boundaries (nested to 20 levels), each part
read the same way, which is twice as fast again as the feed parser on a whole multipart message.

* `sender`: the From header, decoded ("Ann Example <ann@example.org>").
* `sent_at`: the Date header, aware (None when the date cannot be read; naive for "-0000").
* `text`: the first text/plain part that is not an attachment, else the first text/html part
  with its tags removed.
* `attachments`: the file names of the other parts with a name or "attachment" disposition,
  each also yielded as a `MediaFile` (its decoded bytes) right after the Message: names such as
  "image001.png" repeat from one email to the next, so the order is what links them.
"""

from __future__ import annotations

import binascii
import contextlib
import datetime
import email.errors
import email.header
import email.utils
import hashlib
import html.parser
import re
from collections.abc import Iterator
from email.message import Message as EmailMessage
from email.parser import BytesParser

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .base import Chunks, MediaFile, Message, Skipped

__all__ = ["parse_eml", "parse_mbox"]

MAX_MESSAGE_BYTES = 50 << 20
_MAX_DEPTH = 20
_MEDIA_PIECE = 1 << 16



class _Part(EmailMessage):
    """A message or part as `_headers` makes it, with what it works out once kept on it."""

    content_type: str  # get_content_type(), which parses a header each time it is asked
    body_text: str | None = None  # the body, when it is set (not for a multipart)


_PARSER = BytesParser(_Part)  # its policy is compat32, the default
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
# Reasons for the survivor, marked here and translated (_) where a Skipped is made, during the
# import.
_TOO_BIG = gettext_noop(
    "This email is larger than 50 MB; it was skipped. Save its attachments separately and add "
    "them as files."
)


# --- .eml ------------------------------------------------------------------------------------


def parse_eml(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The message of an .eml file, as byte chunks."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_MESSAGE_BYTES:
            yield Skipped("file", _(_TOO_BIG))
            return
        parts.append(chunk)
    raw = b"".join(parts)
    del parts
    if not raw or raw.isspace():
        yield Skipped("file", _("The file is empty."))
        return
    if not _looks_like_headers(raw):
        yield Skipped("file", _("This is not an email: it does not start with mail headers."))
        return
    yield from _read(raw, raw, "email")


_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:")


_NEWLINES = re.compile(rb"[\r\n]*")


def _looks_like_headers(raw: bytes) -> bool:
    newlines = _NEWLINES.match(raw)
    assert newlines is not None  # the pattern matches the empty string
    start = newlines.end()
    if raw.startswith(b"From ", start):  # a single message saved with its From_ line
        start = raw.find(b"\n", start) + 1 or len(raw)
    return _HEADER_LINE.match(raw, start) is not None


# --- .mbox -----------------------------------------------------------------------------------


def parse_mbox(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The messages of an mbox file, as byte chunks."""
    pending = bytearray(b"\n")  # not yet assigned; a b"\n" in front so the first From_ is found
    search_from = 0  # where to look next for b"\nFrom " in pending
    state = _BEFORE
    count = 0
    for chunk in chunks:
        if not chunk:
            continue
        pending += chunk
        while True:
            if state == _FROM_LINE:
                end = pending.find(b"\n")
                if end < 0 and len(pending) <= MAX_MESSAGE_BYTES:
                    break
                if end < 0 or end > MAX_MESSAGE_BYTES:
                    count += 1
                    yield Skipped(f"mbox message {count}", _(_TOO_BIG))
                    state = _DROPPING
                    if end < 0:
                        del pending[:-5]
                        search_from = 0
                        break
                else:
                    state = _IN_MESSAGE
                del pending[: end + 1]
                search_from = 0
                continue
            found = pending.find(b"\nFrom ", search_from)
            if found < 0:
                if state == _DROPPING:
                    del pending[:-5]
                    search_from = 0
                elif len(pending) > MAX_MESSAGE_BYTES + 5:
                    if state == _IN_MESSAGE:
                        count += 1
                        yield Skipped(f"mbox message {count}", _(_TOO_BIG))
                    else:
                        yield Skipped("start of file", _(_NO_FROM_LINE))
                    state = _DROPPING
                    del pending[:-5]
                    search_from = 0
                else:
                    search_from = max(len(pending) - 5, 0)
                break
            raw = None
            if state == _IN_MESSAGE:
                raw = _message_bytes(pending, found + 1)
            elif state == _BEFORE and pending[:found].strip():
                yield Skipped("start of file", _(_NO_FROM_LINE))
            # Forget the message's bytes before reading it, so that it is held once, not twice
            # (a new buffer after a big one: deleting from a bytearray keeps its allocation).
            if found > 1 << 20:
                pending = pending[found + 6 :]
            else:
                del pending[: found + 6]
            state = _FROM_LINE
            if raw is not None:
                count += 1
                yield from _mbox_message(raw, count)
                del raw
    if state == _BEFORE:
        if pending.strip():
            yield Skipped("file", _('This is not an mbox file: no line in it starts with "From ".'))
        else:
            yield Skipped("file", _("The file is empty."))
    elif state == _IN_MESSAGE:
        count += 1
        raw = _message_bytes(pending, len(pending))
        del pending
        yield from _mbox_message(raw, count)
    elif state == _FROM_LINE:
        count += 1
        yield Skipped(
            f"mbox message {count}",
            _("The mailbox ends in the middle of this message's first line (it may be cut "
              "short)."),
        )


_BEFORE, _FROM_LINE, _IN_MESSAGE, _DROPPING = range(4)
_NO_FROM_LINE = gettext_noop(
    'Text before the first "From " line of the mailbox is not part of any message; it was '
    "skipped."
)


def _message_bytes(buffer: bytearray, end: int) -> bytes:
    """`buffer[:end]`, copied once, without the empty line that ends each message of an mbox
    (it belongs to the mbox, not to the message)."""
    if buffer.endswith(b"\r\n\r\n", 0, end):
        end -= 2
    elif buffer.endswith(b"\n\n", 0, end):
        end -= 1
    with memoryview(buffer) as view:
        return bytes(view[:end])


def _mbox_message(raw: bytes, count: int) -> Iterator[Message | MediaFile | Skipped]:
    reference = f"mbox message {count}"
    if len(raw) > MAX_MESSAGE_BYTES:
        yield Skipped(reference, _(_TOO_BIG))
        return
    if not raw or raw.isspace():
        yield Skipped(reference, _("This message is empty."))
        return
    text = _QUOTED_FROM.sub(rb"\1", raw) if b">From " in raw else raw
    yield from _read(raw, text, reference)


# --- reading one message ---------------------------------------------------------------------


def _read(raw: bytes, data: bytes, reference: str) -> Iterator[Message | MediaFile | Skipped]:
    """The Message and attachments of one email: `raw` as stored, `data` to parse."""
    try:
        head = _headers(data, 0, len(data))
        leaves: list[_Part] = []
        _leaves(head, data, 0, len(data), leaves, 0)
        headers = {name.lower(): value for name, value in reversed(list(head.raw_items()))}
        sender = _header_text(headers.get("from"))
        sent_at = _date(headers.get("date"))
        plain = html = None
        files: list[tuple[str, _Part]] = []
        for index, part in enumerate(leaves):
            kind = part.content_type
            name = part.get_filename()
            disposition = str(part.get("Content-Disposition") or "").lower()
            if name is None and not disposition.startswith("attachment"):
                if kind == "text/plain" and plain is None:
                    plain = part
                    continue
                if kind == "text/html" and html is None:
                    html = part
                    continue
                if kind.startswith(("text/", "multipart/")) or part is head:
                    continue
            files.append((_header_text(name) or f"attachment {index + 1}", part))
        if plain is not None:
            text = _part_text(plain)
        elif html is not None:
            text = html_to_text(_part_text(html))
        else:
            text = ""
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        message = Message(
            sender,
            sent_at,
            text.strip(),
            [name for name, _data in files],
            hashlib.sha256(raw).digest(),
            raw,
            False,
            reference,
        )
    except Exception as error:  # the email package has odd failure modes; one message's must
        # not end the import
        yield Skipped(reference, _("This email could not be read (%(error)s).")
                      % {"error": type(error).__name__})
        return
    del head, leaves, plain, html
    yield message
    del message
    for name, part in files:
        yield MediaFile(name, _media(part))


def _headers(data: bytes, start: int, end: int) -> _Part:
    """A message or part (`data[start:end]`): its headers parsed, its body as its payload.

    Only the header block goes through the feed parser, which would otherwise cut the body into
    lines to no use; the body is set as the parser would have set it, and only for a part that
    is not multipart (a multipart body is cut at its boundaries instead).
    """
    at = _body_start(data, start, end)
    part = _PARSER.parsebytes(data[start:at], headersonly=True)
    part.content_type = part.get_content_type()  # asked for often; it parses a header each time
    if at < end and not part.content_type.startswith("multipart/"):
        with memoryview(data) as view:
            body = str(view[at:end], "ascii", "surrogateescape")
        before = part.get_payload()
        if isinstance(before, str) and before:
            body = before + body
        part.set_payload(body)
        # get_payload() would scan a large body for surrogates by encoding a copy of it
        part.body_text = body
    return part


def _leaves(
    part: _Part, data: bytes, start: int, end: int, out: list[_Part], depth: int
) -> None:
    """The single parts of `part` (which is `data[start:end]`), in order, into `out`."""
    boundary = part.get_boundary() if part.content_type.startswith("multipart/") else None
    if not boundary or depth >= _MAX_DEPTH:
        out.append(part)  # a multipart without a boundary, or nested too deep: passed over
        return
    delimiter = b"\n--" + boundary.encode("ascii", "surrogateescape")
    position = data.find(delimiter, max(_body_start(data, start, end) - 1, start), end)
    while position >= 0:
        line_end = data.find(b"\n", position + 1, end)
        if line_end < 0 or data.startswith(b"--", position + len(delimiter)):
            return  # the closing delimiter, or a delimiter that the data cuts short
        piece_start = line_end + 1
        following = data.find(delimiter, piece_start - 1, end)
        piece_end = following if following >= 0 else end
        if piece_end > piece_start and data[piece_end - 1] == 13:  # b"\r" before b"\n--"
            piece_end -= 1
        piece_end = max(piece_end, piece_start)
        _leaves(
            _headers(data, piece_start, piece_end), data, piece_start, piece_end, out, depth + 1
        )
        position = following


def _body_start(data: bytes, start: int, end: int) -> int:
    """Where the body of `data[start:end]` starts, after the first empty line (or `end`)."""
    if data.startswith(b"\n", start):
        return start + 1
    if data.startswith(b"\r\n", start):
        return start + 2
    lf = data.find(b"\n\n", start, end)
    crlf = data.find(b"\n\r\n", start, end)
    if lf < 0 and crlf < 0:
        return end
    if crlf < 0 or 0 <= lf < crlf:
        return lf + 2
    return crlf + 3


def _part_bytes(part: EmailMessage) -> bytes:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    body = part.get_payload()
    if isinstance(body, str):
        return body.encode("utf-8", "surrogateescape")
    return b""


def _part_text(part: EmailMessage) -> str:
    data = _part_bytes(part)
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")


def _media(part: _Part) -> Iterator[bytes]:
    """An attachment's bytes, decoded when asked for; base64 is decoded in 48 KiB pieces."""
    try:
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        body = part.body_text
        if encoding == "base64" and isinstance(body, str):
            carry = ""
            for at in range(0, len(body), _MEDIA_PIECE):
                text = carry + "".join(_BASE64_LINE.findall(body, at, at + _MEDIA_PIECE))
                usable = len(text) - len(text) % 4
                carry = text[usable:]
                if usable:
                    yield binascii.a2b_base64(text[:usable])
            if carry.rstrip("="):
                yield binascii.a2b_base64(carry + "=" * (-len(carry) % 4))
            return
        data = _part_bytes(part)
        for at in range(0, len(data), _MEDIA_PIECE):
            yield data[at : at + _MEDIA_PIECE]
    except (binascii.Error, ValueError, LookupError, TypeError):
        return  # what could be decoded was given; the rest is damaged


def _header_text(value: object) -> str:
    """A header's text: encoded words decoded, raw 8-bit bytes read as UTF-8."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    if not text.isascii():
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in text:
        with contextlib.suppress(LookupError, ValueError, email.errors.HeaderParseError):
            text = str(email.header.make_header(email.header.decode_header(text)))
    return " ".join(text.split())


def _date(value: object) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class _HTMLText(html.parser.HTMLParser):
    _BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
        | {"table", "ul", "ol", "hr", "title"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style", "head"):
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    """The text of an HTML email body: tags, scripts and styles removed, blocks on lines."""
    reader = _HTMLText()
    try:
        reader.feed(markup)
        reader.close()
    except (AssertionError, ValueError):  # html.parser's errors on hopeless markup
        pass
    lines = (" ".join(line.split()) for line in "".join(reader.out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
