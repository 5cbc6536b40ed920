"""Android "SMS Backup & Restore" XML: SMS and MMS.

::

    <smses count="2">
      <sms address="+15555550100" date="1735681265000" type="1" body="..." contact_name="Ann"
           readable_date="31 Dec 2024 21:41:05" />
      <mms date="1735681300000" msg_box="1" address="+15555550100" contact_name="Ann">
        <parts>
          <part seq="-1" ct="application/smil" text="&lt;smil&gt;..." />
          <part seq="0" ct="text/plain" text="look" />
          <part seq="1" ct="image/jpeg" name="IMG_0001.jpg" data="/9j/4AAQ..." />
        </parts>
        <addrs><addr address="+15555550100" type="137" /><addr address="me" type="151" /></addrs>
      </mms>
    </smses>

`date` is milliseconds since the epoch, so `sent_at` is aware (UTC). `type` (SMS) and `msg_box`
(MMS) say the direction: 1 is received, anything else (2 sent, 3 draft, 4 outbox, 5 failed, 6
queued) was written on this phone, and the sender is then "me". A received message's sender is
"Name (+number)" when the backup knows the contact, else the number; for a group MMS it is the
address of type 137 ("from"). Text is `body` (SMS) or the text/plain parts (MMS). Every other MMS
part (pictures, video, vCards), except the SMIL layout, is an attachment named by its `name`,
`cl` or `fn` attribute; when the backup holds its bytes (`data`, base64), it is yielded as a
`MediaFile` of that name, decoded in 48 KiB pieces, right after its Message (names such as
"image000000.jpg" repeat from one MMS to the next, so the order is what links them). `raw` is the
element's bytes exactly as in the file (an MMS with a picture includes its base64).

The XML is read with the standard library's expat, fed chunk by chunk, which builds nothing but
each element's attributes. What is refused or skipped:

* A DOCTYPE, an entity declaration or an external entity: an SMS backup never has one, and
  refusing them stops entity-expansion attacks ("billion laughs") outright, without the
  `defusedxml` dependency (which does the same thing with the same expat hooks). The whole file
  is then refused.
* Emoji written as two UTF-16 surrogate references (``&#55357;&#56832;``), which the app really
  writes but XML forbids, are repaired before expat sees them (into one reference of the same
  length, so byte positions and `raw` stay those of the file); a lone surrogate becomes U+FFFD.
* A message that is not valid XML: it is skipped with expat's reason, and reading resumes at the
  next ``<sms`` or ``<mms``. A file cut short: the messages before the cut are kept.
* A message over `MAX_MESSAGE_BYTES` (32 MiB): skipped, as is a stretch of that size that holds
  no message, so memory stays bounded whatever the file.
* A root other than <smses> (a call log backup, say), or a declared encoding that expat cannot
  read: the whole file is refused.
"""

from __future__ import annotations

import binascii
import datetime
import hashlib
import re
from collections.abc import Iterator
from typing import NoReturn
from xml.parsers import expat

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .base import Chunks, MediaFile, Message, Skipped

__all__ = ["parse"]

MAX_MESSAGE_BYTES = 32 << 20
_DECODE_PIECE = 65536  # base64 characters decoded at a time (48 KiB of bytes)
_UTC = datetime.UTC

_TAG = re.compile(rb"<(?:[^\"'>]|\"[^\"]*\"|'[^']*')*>")
_MESSAGE_START = re.compile(rb"<(?:sms|mms)[\s/>]")
_SURROGATE = (  # a UTF-16 surrogate, 55296-57343 or xD800-xDFFF
    rb"(5529[6-9]|55[3-9]\d\d|56\d\d\d|57[0-2]\d\d|573[0-3]\d|5734[0-3]"
    rb"|[xX][dD][89a-fA-F][0-9a-fA-F]{2})"
)
_SURROGATE_REFS = re.compile(rb"&#" + _SURROGATE + rb";(?:&#" + _SURROGATE + rb";)?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_SPACE = re.compile(r"\s")
_SENT_BY_ME = {"2", "3", "4", "5", "6"}
_NO_NAME = {"", "null", "(Unknown)", "Unknown"}


class _Refused(Exception):
    """The file declares a DTD or entities."""


class _Stop(Exception):
    """The file is not an SMS backup at all."""


def _surrogate_value(ref: bytes) -> int:
    return int(ref[1:], 16) if ref[:1] in b"xX" else int(ref)


def _same_length_ref(code: int, ref_length: int, hex_form: bool) -> bytes:
    if hex_form:
        return b"&#x" + f"{code:X}".zfill(ref_length - 4).encode() + b";"
    return b"&#" + str(code).zfill(ref_length - 3).encode() + b";"


def _repair_surrogates(match: re.Match[bytes]) -> bytes:
    high_ref, low_ref = match.group(1), match.group(2)
    high = _surrogate_value(high_ref)
    if low_ref is not None:
        low = _surrogate_value(low_ref)
        if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
            code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return _same_length_ref(code, len(match.group(0)), high_ref[:1] in b"xX")
        second = _same_length_ref(0xFFFD, len(low_ref) + 3, low_ref[:1] in b"xX")
    else:
        second = b""
    return _same_length_ref(0xFFFD, len(high_ref) + 3, high_ref[:1] in b"xX") + second


def _repair(data: bytes) -> bytes:
    if b"&#" not in data:
        return data
    return _SURROGATE_REFS.sub(_repair_surrogates, data)


def parse(chunks: Chunks) -> Iterator[Message | MediaFile | Skipped]:
    """The SMS and MMS of an SMS Backup & Restore XML file, as byte chunks."""
    reader = _Reader()
    carry = b""
    for chunk in chunks:
        if not chunk:
            continue
        data = carry + chunk if carry else chunk
        # Hold back the last 15 bytes, and any surrogate reference that reaches them: a pair
        # (16 bytes at most) is then always repaired whole, wherever the chunks were cut.
        cut = len(data) - 15
        if cut <= 0:
            carry = data
            continue
        if b"&#" in data:
            for match in _SURROGATE_REFS.finditer(data, max(cut - 16, 0)):
                if match.end() >= cut:
                    cut = min(cut, match.start())
                    break
        carry = data[cut:]
        if cut:
            yield from reader.take(data[:cut])
            if reader.done:
                return
    if carry:
        yield from reader.take(carry)
    yield from reader.finish()


class _Reader:
    def __init__(self) -> None:
        self.buffer = bytearray()  # the file's bytes from `base` on
        self.base = 0
        self.fed = 0  # bytes of the file taken so far
        self.count = 0  # messages (sms and mms) met
        self.items: list[Message | MediaFile | Skipped] = []
        self.done = False
        self.root: str | None = None
        self.seeking = False
        self.seek_from = 0
        self._new_parser(prefix=b"", at=0)

    # --- expat --------------------------------------------------------------------------------

    def _new_parser(self, prefix: bytes, at: int) -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.UnparsedEntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser: expat.XMLParserType | None = parser  # None while seeking
        self.offset = at - len(prefix)  # file position = parser position + offset
        self.depth = 0
        self.open: list | None = None  # [kind, attrs, start, parts, addrs, number]
        self.quiet_from = at  # where the last element event was
        if prefix:
            parser.Parse(prefix, False)

    def _refuse(self, *args: object) -> NoReturn:
        raise _Refused

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        assert self.parser is not None  # the parser that calls this handler
        at = self.parser.CurrentByteIndex + self.offset
        self.quiet_from = at
        if self.depth == 1:
            self.root = name
            if name != "smses":
                raise _Stop
        elif self.depth == 2:
            if name in ("sms", "mms"):
                self.count += 1
                self.open = [name, attrs, at, [], [], self.count]
        elif self.open is not None and self.open[0] == "mms":
            if name == "part":
                self.open[3].append(attrs)
            elif name == "addr":
                self.open[4].append(attrs)

    def _end(self, name: str) -> None:
        assert self.parser is not None  # the parser that calls this handler
        at = self.parser.CurrentByteIndex + self.offset
        self.quiet_from = at
        if self.depth == 2 and self.open is not None:
            kind, attrs, start, parts, addrs, number = self.open
            self.open = None
            buffer = self.buffer
            tag = _TAG.match(buffer, start - self.base)
            if tag is not None and tag.group(0).endswith(b"/>"):
                end = at
            else:
                close = buffer.find(b">", at - self.base)
                end = (close + 1 + self.base) if close >= 0 else at
            reference = f"message {number}"
            if end - start > MAX_MESSAGE_BYTES:
                self.items.append(Skipped(reference, _(_TOO_BIG)))
            else:
                raw = bytes(buffer[start - self.base : end - self.base])
                if kind == "sms":
                    self.items.append(_sms(attrs, raw, reference))
                else:
                    self.items.extend(_mms(attrs, parts, addrs, raw, reference))
        self.depth -= 1

    # --- feeding ------------------------------------------------------------------------------

    def take(self, data: bytes) -> Iterator[Message | MediaFile | Skipped]:
        self.buffer += data
        self.fed += len(data)
        if self.seeking:
            self._seek()  # feeds the new parser from the message it finds, if it finds one
        else:
            self._feed(_repair(data), final=False)
        yield from self._drain()
        if not self.seeking and not self.done:
            self._guard()
            yield from self._drain()

    def finish(self) -> Iterator[Message | MediaFile | Skipped]:
        if self.done:
            return
        if self.fed == 0:
            yield Skipped("file", _("The file is empty."))
            return
        if not self.seeking:
            self._feed(b"", final=True)
        yield from self._drain()

    def _drain(self) -> Iterator[Message | MediaFile | Skipped]:
        items = self.items
        if items:
            self.items = []
            yield from items
        self._trim()

    def _feed(self, data: bytes, final: bool) -> None:
        assert self.parser is not None  # fed only while not seeking, after a parser is made
        try:
            self.parser.Parse(data, final)
        except _Refused:
            self.items.append(
                Skipped(
                    "file",
                    _("The file declares a document type or entities, which an SMS backup never "
                      "does; it was not read, as a safety measure."),
                )
            )
            self._stop()
        except _Stop:
            self.items.append(
                Skipped(
                    "file",
                    _("This XML file is not an SMS Backup & Restore message backup (it holds "
                      "<%(root)s>, not <smses>).") % {"root": self.root},
                )
            )
            self._stop()
        except expat.ExpatError as error:
            self._broken(error, final)
        except (LookupError, ValueError):  # an encoding expat cannot read (UTF-8 is what the
            # app writes)
            self.items.append(
                Skipped(
                    "file",
                    _("The file declares a text encoding that cannot be read; an SMS backup is "
                      "UTF-8."),
                )
            )
            self._stop()

    def _stop(self) -> None:
        self.done = True
        self.buffer = bytearray()

    def _broken(self, error: expat.ExpatError, final: bool) -> None:
        assert self.parser is not None  # the parser that failed
        where = self.parser.ErrorByteIndex
        where = self.fed if where < 0 else where + self.offset
        reason = expat.errors.messages.get(error.code, "unknown error")
        if self.root is None:
            self.items.append(
                Skipped("file", _("This is not an SMS backup: it is not XML (%(reason)s).")
                        % {"reason": reason})
            )
            self._stop()
            return
        if final:
            if self.open is not None:
                self.items.append(Skipped(f"message {self.open[5]}", _(_CUT)))
            elif self.depth > 0:
                self.items.append(Skipped("end of file", _(_CUT_BETWEEN)))
            else:
                self.items.append(
                    Skipped("end of file", _("The end of the file is not valid XML (%(reason)s).")
                            % {"reason": reason})
                )
            self._stop()
            return
        if self.open is not None:
            self.items.append(
                Skipped(
                    f"message {self.open[5]}",
                    _("This message is not valid XML (%(reason)s); it was skipped.")
                    % {"reason": reason},
                )
            )
            self.seek_from = self.open[2] + 1
        elif (lt := self.buffer.rfind(b"<", 0, max(where - self.base + 1, 0))) >= 0 and (
            _MESSAGE_START.match(self.buffer, lt) is not None
        ):
            # the start tag of a message is broken
            self.count += 1
            self.items.append(
                Skipped(
                    f"message {self.count}",
                    _("This message is not valid XML (%(reason)s); it was skipped.")
                    % {"reason": reason},
                )
            )
            self.seek_from = self.base + lt + 1
        else:
            self.items.append(
                Skipped(
                    f"byte {where:,}",
                    _("The file is not valid XML here (%(reason)s); reading resumed at the "
                      "next message.") % {"reason": reason},
                )
            )
            self.seek_from = where
        self.open = None
        self.seeking = True
        self._seek()

    def _seek(self) -> None:
        """Look for the next <sms or <mms from `seek_from` on; start a parser there."""
        buffer = self.buffer
        found = _MESSAGE_START.search(buffer, max(self.seek_from - self.base, 0))
        if found is None:
            keep = max(len(buffer) - 4, 0)
            del buffer[:keep]
            self.base += keep
            self.seek_from = self.base
            return
        self.seeking = False
        at = found.start() + self.base
        del buffer[: found.start()]
        self.base = at
        self._new_parser(prefix=b"<smses>", at=at)
        self._feed(_repair(bytes(buffer)), final=False)

    def _guard(self) -> None:
        """Skip a message, or a stretch without one, that outgrows MAX_MESSAGE_BYTES."""
        if self.open is not None and self.fed - self.open[2] > MAX_MESSAGE_BYTES:
            self.items.append(Skipped(f"message {self.open[5]}", _(_TOO_BIG)))
            self.seek_from = self.open[2] + 1
        elif self.open is None and self.fed - self.quiet_from > MAX_MESSAGE_BYTES:
            self.items.append(
                Skipped(
                    f"byte {self.quiet_from:,}",
                    _("Over 32 MB of the file here hold no message; they were skipped."),
                )
            )
            self.seek_from = self.fed
        else:
            return
        self.open = None
        self.seeking = True
        self.parser = None
        self._seek()

    def _trim(self) -> None:
        """Forget the bytes no message can still need."""
        if self.seeking or self.done:
            return
        if self.open is not None:
            keep_from = self.open[2]
        else:
            last = self.buffer.rfind(b"<")
            keep_from = self.base + last if last >= 0 else self.fed
        drop = keep_from - self.base
        if drop > 65536 or (drop > 0 and drop == len(self.buffer)):
            del self.buffer[:drop]
            self.base = keep_from


# Reasons for the survivor, marked here and translated (_) where a Skipped is made, during the
# import.
_CUT = gettext_noop(
    "The file ends in the middle of this message (it may be cut short); the messages before it "
    "were imported."
)
_CUT_BETWEEN = gettext_noop(
    "The file ends before its closing </smses> (it may be cut short); every message in it was "
    "imported."
)
_TOO_BIG = gettext_noop(
    "This message is larger than 32 MB, more than any real MMS; it was skipped.")


# --- messages -------------------------------------------------------------------------------


def _when(value: str | None) -> datetime.datetime | None:
    if not value or not value.isascii() or not value.isdigit() or len(value) > 15:
        return None
    number = int(value)
    seconds = number / 1000 if number >= 10**11 else number
    try:
        return datetime.datetime.fromtimestamp(seconds, tz=_UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _who(name: str | None, address: str | None) -> str:
    address = (address or "").strip()
    name = (name or "").strip()
    if name in _NO_NAME or "," in name:
        return address
    if not address or address == name:
        return name
    return f"{name} ({address})"


def _sms(attrs: dict[str, str], raw: bytes, reference: str) -> Message:
    if attrs.get("type", "1") in _SENT_BY_ME:
        sender = "me"
    else:
        sender = _who(attrs.get("contact_name"), attrs.get("address"))
    return Message(
        sender,
        _when(attrs.get("date")),
        attrs.get("body") or "",
        [],
        hashlib.sha256(raw).digest(),
        raw,
        False,
        reference,
    )


def _mms(attrs, parts, addrs, raw: bytes, reference: str) -> list[Message | MediaFile | Skipped]:
    if attrs.get("msg_box", "1") in _SENT_BY_ME:
        sender = "me"
    else:
        sender = ""
        for addr in addrs:
            if addr.get("type") == "137":
                sender = addr.get("address", "")
                break
        address = attrs.get("address", "")
        if "~" not in address and sender in ("", address):
            sender = _who(attrs.get("contact_name"), address or sender)
    texts: list[str] = []
    attachments: list[str] = []
    after: list[MediaFile | Skipped] = []
    for index, part in enumerate(parts):
        kind = (part.get("ct") or "").lower()
        if kind == "application/smil":
            continue
        if kind == "text/plain":
            text = part.get("text")
            if text is None or text == "null":
                text = _text_from_data(part.get("data"))
            if text:
                texts.append(text)
            continue
        name = next(
            (
                part[key]
                for key in ("name", "cl", "fn")
                if part.get(key) and part[key] not in _NO_NAME
            ),
            f"part {index}",
        )
        attachments.append(name)
        data = part.get("data")
        if data:
            media = _media(name, data)
            after.append(media if media is not None
                         else Skipped(f"{reference}: {name}", _(_BAD_DATA)))
    message = Message(
        sender,
        _when(attrs.get("date")),
        "\n".join(texts),
        attachments,
        hashlib.sha256(raw).digest(),
        raw,
        False,
        reference,
    )
    return [message, *after]


_BAD_DATA = gettext_noop(
    "The picture or file in this MMS is damaged (its data is not valid base64); it was skipped."
)


def _clean_base64(data: str) -> str | None:
    if _SPACE.search(data) is not None:
        data = "".join(data.split())
    if len(data) % 4 or _BASE64.fullmatch(data) is None:
        return None
    return data


def _media(name: str, data: str) -> MediaFile | None:
    clean = _clean_base64(data)
    if clean is None:
        return None
    return MediaFile(name, _decoded(clean))


def _decoded(data: str) -> Iterator[bytes]:
    for at in range(0, len(data), _DECODE_PIECE):
        yield binascii.a2b_base64(data[at : at + _DECODE_PIECE])


def _text_from_data(data: str | None) -> str:
    if not data:
        return ""
    clean = _clean_base64(data)
    if clean is None:
        return ""
    return binascii.a2b_base64(clean).decode(errors="replace")
