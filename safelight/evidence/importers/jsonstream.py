"""Reading a large JSON export in bounded memory, one message object at a time.

Telegram's result.json and Meta's message_N.json are one JSON object holding long lists of
message objects. `JsonReader` walks the object's structure (`members`, `items`), skips what the
importer does not need without holding it (`skip`, in constant memory however big), and hands over
each message object whole (`value`): the standard library's C decoder (`json.JSONDecoder.
raw_decode`) reads it from a text buffer that holds little more than that one object, and the
object's own text comes with it, so `raw` is its bytes exactly as in the file. No new dependency
(`ijson` would stream too, but gives no original bytes, and its fast backend is a C extension).

The bytes are decoded as UTF-8 with "surrogateescape", so a byte that is not UTF-8 survives
(as U+DC80..U+DCFF) and encodes back to itself; `value` says when an object held such bytes, and
`clean` turns them, and any lone surrogate a "\\udXXX" escape made, into U+FFFD.

Malformed JSON raises `JsonError` (`cut_short` when the file ends inside a value) for the importer
to turn into a `Skipped`; after an error inside a list of objects, `recover` moves on to the next
object ("}, {"), so one broken message does not lose the rest.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .base import Skipped

MAX_VALUE_CHARS = 32 << 20  # the largest single object read whole (a message is ~1 KB)
_COMPACT_AT = 1 << 16

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_PLAIN = re.compile(r'[^"\[\]{}]*')  # outside strings, up to the next string or bracket
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*')  # inside a string, up to its closing quote
_SCALAR = re.compile(r"[^,\]}\s]*")
_NEXT_OBJECT = re.compile(r"\}\s*(,)\s*\{")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_DECODE = json.JSONDecoder().raw_decode
# Why the JSON could not be read, in the survivor's reasons' parentheses (translated (_) where
# raised).
_TOO_BIG = gettext_noop("a single value is larger than the limit")
_ENDS_EARLY = gettext_noop("the file ends too early")


class JsonError(Exception):
    def __init__(self, reason: str, cut_short: bool = False, too_big: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cut_short = cut_short
        self.too_big = too_big  # the value may be fine: `skip` passes over it


def error_skipped(error: JsonError) -> Skipped:
    """What an importer reports when the JSON breaks off: the part before it was read."""
    if error.cut_short:
        return Skipped("end of file",
                       _("The file ends too early (it may be cut short); what came before was "
                         "read."))
    return Skipped("file", _("The file is not valid JSON here (%(reason)s); reading stopped.")
                   % {"reason": error.reason})


def clean(text: str) -> str:
    """`text` with undecodable bytes and lone surrogates as U+FFFD (unchanged when it has none)."""
    if text.isascii() or _SURROGATES.search(text) is None:
        return text
    return _SURROGATES.sub("\ufffd", text)


def has_undecodable(text: str) -> bool:
    """Whether `text` (as the reader decoded it) held bytes that are not UTF-8."""
    return not text.isascii() and _ESCAPED_BYTES.search(text) is not None


class JsonReader:
    def __init__(self, chunks: Iterable[bytes], max_value: int = MAX_VALUE_CHARS) -> None:
        self._chunks = iter(chunks)
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.max_value = max_value
        self.text = ""
        self.at = 0
        self.eof = False
        self.escaped_bytes = False  # some bytes so far were not UTF-8
        self.started = False
        self.read_any = False

    # --- the buffer ---------------------------------------------------------------------------

    def _more(self) -> bool:
        """Append the next decoded chunk to the buffer; False at the end of the input."""
        if self.at > _COMPACT_AT:
            self.text = self.text[self.at :]
            self.at = 0
        while not self.eof:
            chunk = next(self._chunks, None)
            if chunk is None:
                self.eof = True
                piece = self._decoder.decode(b"", True)
            else:
                if chunk:
                    self.read_any = True
                piece = self._decoder.decode(chunk)
            if not piece:
                continue
            if not self.started:
                self.started = True
                if piece.startswith("\ufeff"):
                    piece = piece[1:]
            if not self.escaped_bytes and not piece.isascii():
                self.escaped_bytes = _ESCAPED_BYTES.search(piece) is not None
            self.text += piece
            return True
        return False

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end), without taking it."""
        while True:
            spaces = _WHITESPACE.match(self.text, self.at)
            assert spaces is not None  # the pattern matches the empty string
            self.at = spaces.end()
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            if not found:
                raise JsonError(_(_ENDS_EARLY), cut_short=True)
            raise JsonError(_("expected %(expected)s but found %(found)s")
                            % {"expected": repr(char), "found": repr(found)})
        self.at += 1

    # --- values -------------------------------------------------------------------------------

    def value(self, limit: int | None = None) -> tuple[object, str]:
        """The next value, decoded, and its text as in the file."""
        limit = self.max_value if limit is None else limit
        if not self.peek():
            raise JsonError(_(_ENDS_EARLY), cut_short=True)
        tried = 0
        while True:
            # `_more` drops the text before `self.at`, which stays where the value starts
            text = self.text
            start = self.at
            available = len(text) - start
            if available > tried or available > limit:
                tried = max(available * 2, available + 65536)
                try:
                    found, end = _DECODE(text, start)
                except json.JSONDecodeError as error:
                    unfinished = error.pos >= len(text) - 16 or error.msg.startswith(
                        "Unterminated string"
                    )
                    if self.eof or not unfinished:
                        raise JsonError(error.msg, cut_short=self.eof and unfinished) from None
                except RecursionError:
                    raise JsonError(_("the JSON is nested too deeply")) from None
                else:
                    # a number or literal at the end of the buffer may go on in the next chunk
                    if end < len(text) or self.eof or text[end - 1] in '"]}':
                        if end - start > limit:
                            raise JsonError(_(_TOO_BIG), too_big=True)
                        self.at = end
                        return found, text[start:end]
            if available > limit:
                raise JsonError(_(_TOO_BIG), too_big=True)
            if not self._more():
                tried = 0  # at the end: decide for good on what there is

    def skip(self) -> None:
        """Pass over the next value without holding it."""
        first = self.peek()
        if not first:
            raise JsonError(_(_ENDS_EARLY), cut_short=True)
        if first not in '"[{':
            while True:
                scalar = _SCALAR.match(self.text, self.at)
                assert scalar is not None  # the pattern matches the empty string
                self.at = scalar.end()
                if self.at < len(self.text) or not self._more():
                    return
        depth = 0
        in_string = False
        while True:
            text = self.text
            if in_string:
                rest = _STRING_REST.match(text, self.at)
                assert rest is not None  # the pattern matches the empty string
                self.at = rest.end()
                if self.at < len(text) and text[self.at] == '"':
                    self.at += 1
                    in_string = False
                    if depth == 0:
                        return
                    continue
            else:
                plain = _PLAIN.match(text, self.at)
                assert plain is not None  # the pattern matches the empty string
                self.at = plain.end()
                if self.at < len(text):
                    char = text[self.at]
                    self.at += 1
                    if char == '"':
                        in_string = True
                    elif char in "[{":
                        depth += 1
                    else:
                        depth -= 1
                        if depth <= 0:
                            if depth < 0:
                                raise JsonError(_("unexpected %(char)s") % {"char": repr(char)})
                            return
                    continue
            if not self._more():
                raise JsonError(_(_ENDS_EARLY), cut_short=True)

    def recover(self) -> bool:
        """After a broken object in a list, go to the "," before the next object; False if none."""
        while True:
            found = _NEXT_OBJECT.search(self.text, self.at)
            if found is not None:
                self.at = found.start(1)
                return True
            # keep a little, in case "}, {" is cut by the chunk's end
            self.at = max(len(self.text) - 256, self.at)
            if not self._more():
                self.at = len(self.text)
                return False

    # --- structure ----------------------------------------------------------------------------

    def members(self) -> Iterator[str]:
        """The keys of the object that comes next; read or skip each one's value in between."""
        self.expect("{")
        if self.peek() == "}":
            self.at += 1
            return
        while True:
            if self.peek() != '"':
                self.expect('"')
            key, _text = self.value(limit=1 << 16)
            assert isinstance(key, str)  # the value starts with '"': a JSON string
            self.expect(":")
            yield key
            following = self.peek()
            if following == ",":
                self.at += 1
            elif following == "}":
                self.at += 1
                return
            else:
                self.expect("}")

    def items(self) -> Iterator[int]:
        """The indexes of the list that comes next; read or skip each item in between."""
        self.expect("[")
        if self.peek() == "]":
            self.at += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            following = self.peek()
            if following == ",":
                self.at += 1
            elif following == "]":
                self.at += 1
                return
            else:
                self.expect("]")


class StopReading(Exception):
    """Nothing more can be read; what could not was already reported."""


# Reasons for the survivor, marked here and translated (_) where a Skipped is made, during the
# import.
_CUT = gettext_noop(
    "The file ends in the middle of this message (it may be cut short); the messages before it "
    "were imported."
)
_BIG = gettext_noop(
    "This message is larger than 32 MB, more than any real message; it was skipped.")


def objects(reader: JsonReader) -> Iterator[tuple[int, object, str, str | None]]:
    """The items of the list that comes next, one by one.

    Each is (number from 1, value, its text as in the file, None), or (number, None, "", reason)
    for one that could not be read. Raises StopReading when the rest of the file cannot be read.
    """
    for index in reader.items():
        number = index + 1
        try:
            value, text = reader.value()
        except JsonError as error:
            if error.cut_short:
                yield number, None, "", _(_CUT)
                raise StopReading from None
            if error.too_big:
                yield number, None, "", _(_BIG)
                try:
                    reader.skip()
                    continue
                except JsonError as again:
                    if again.cut_short:
                        raise StopReading from None
            else:
                problem = _("This message is not valid JSON (%(reason)s); skipped.")
                yield number, None, "", problem % {"reason": error.reason}
            if not reader.recover():
                raise StopReading from None
            continue
        yield number, value, text, None
