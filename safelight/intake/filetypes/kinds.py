"""The kinds of file we accept, and telling which one a file is from its content."""

import codecs
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import media, office
from .errors import ARCHIVE, EMPTY_FILE, OLD_OFFICE, BrokenFile, UnsupportedFile


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str = field(compare=False)  # lazy: translated when shown
    content_type: str
    extension: str
    cleanable: bool


def _kind(name, label, content_type, extension, cleanable):
    return FileKind(name, label, content_type, extension, cleanable)


KINDS = {
    kind.name: kind
    for kind in (
        _kind("jpeg", _("photo (JPEG)"), "image/jpeg", ".jpg", True),
        _kind("png", _("picture (PNG)"), "image/png", ".png", True),
        _kind("gif", _("picture (GIF)"), "image/gif", ".gif", True),
        _kind("webp", _("picture (WebP)"), "image/webp", ".webp", True),
        _kind("heic", _("photo (HEIC)"), "image/heic", ".heic", False),
        _kind("pdf", _("PDF document"), "application/pdf", ".pdf", True),
        _kind(
            "docx",
            _("Word document"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
            True,
        ),
        _kind(
            "xlsx",
            _("Excel spreadsheet"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
            True,
        ),
        _kind(
            "pptx",
            _("PowerPoint presentation"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ".pptx",
            True,
        ),
        _kind(
            "odt",
            _("OpenDocument text"),
            "application/vnd.oasis.opendocument.text",
            ".odt",
            True,
        ),
        _kind(
            "ods",
            _("OpenDocument spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
            True,
        ),
        _kind(
            "odp",
            _("OpenDocument presentation"),
            "application/vnd.oasis.opendocument.presentation",
            ".odp",
            True,
        ),
        _kind("text", _("plain text"), "text/plain", ".txt", False),
        _kind("mp4", _("video (MP4)"), "video/mp4", ".mp4", False),
        _kind("mov", _("video (QuickTime)"), "video/quicktime", ".mov", False),
        _kind("webm", _("video (WebM)"), "video/webm", ".webm", False),
        _kind("m4a", _("audio recording (M4A)"), "audio/mp4", ".m4a", False),
        _kind("mp3", _("audio recording (MP3)"), "audio/mpeg", ".mp3", False),
        _kind("ogg", _("audio recording (Ogg)"), "audio/ogg", ".ogg", False),
        _kind("wav", _("audio recording (WAV)"), "audio/wav", ".wav", False),
    )
}

# The types a download may be labelled with: only those of the kinds above, which are detected
# from the content (never the name or the browser's claim). Anything else, and any older file
# stored without a type, downloads as application/octet-stream. None of these is run by a browser
# (no HTML, SVG or script), and downloads always carry `Content-Disposition: attachment` and
# `X-Content-Type-Options: nosniff`.
DOWNLOAD_TYPES = frozenset(kind.content_type for kind in KINDS.values())


def download_type(content_type: str | None) -> str:
    """The Content-Type to send a stored file with: its detected type if allowed, else bytes."""
    if content_type is not None and content_type in DOWNLOAD_TYPES:
        return content_type
    return "application/octet-stream"


SUPPORTED_DESCRIPTION = _(
    "photos and screenshots (JPEG, PNG, WebP, GIF, HEIC), PDF, Word, Excel, PowerPoint and "
    "OpenDocument files, plain text, audio and video recordings"
)

_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (media.EBML, "webm"),
)
_ARCHIVES = (
    b"PK\x05\x06",  # an empty zip
    b"PK\x07\x08",  # a zip split in parts
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
)
_OLD_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_CHUNK = 1024 * 1024
# Formats that are text inside but are something else: we do not take them as plain text.
_NOT_PLAIN_TEXT = {".svg", ".svgz", ".htm", ".html", ".xhtml", ".mht", ".rtf", ".ps", ".eps"}


def _is_text(data):
    """Valid UTF-8, or UTF-16 with a byte order mark, with no NUL character."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        return False
    else:
        encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), _TEXT_CHUNK):
            if "\x00" in decoder.decode(data[start : start + _TEXT_CHUNK]):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _extension(name):
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def identify(data: bytes, *, name: str = "") -> FileKind:
    """The kind of file ``data`` is, from its content only.

    ``name`` (the file's name as the reporter's device gave it) is only used to turn away
    formats that are text inside but are not plain text, such as web pages. Raises BrokenFile
    for an empty file, UnsupportedFile for a kind we do not accept (including zip archives),
    and TooComplex for a package too large to look into.
    """
    if not data:
        raise BrokenFile(EMPTY_FILE)
    for signature, kind_name in _SIGNATURES:
        if data.startswith(signature):
            return KINDS[kind_name]
    if data[:4] == b"RIFF":
        if data[8:12] == b"WEBP":
            return KINDS["webp"]
        if data[8:12] == b"WAVE":
            return KINDS["wav"]
        raise UnsupportedFile
    if data.startswith(b"PK\x03\x04"):
        return KINDS[office.kind_of(data)]
    if data.startswith(_ARCHIVES):
        raise UnsupportedFile(ARCHIVE)
    if data.startswith(_OLD_OFFICE):
        raise UnsupportedFile(OLD_OFFICE)
    iso_kind = media.iso_kind(data)
    if iso_kind is not None:
        return KINDS[iso_kind]
    if media.is_ogg(data):
        return KINDS["ogg"]
    if media.is_mp3(data):
        return KINDS["mp3"]
    if data.lstrip()[:5] == b"{\\rtf":
        raise UnsupportedFile
    if _is_text(data) and _extension(name) not in _NOT_PLAIN_TEXT:
        return KINDS["text"]
    raise UnsupportedFile
