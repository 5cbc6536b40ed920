"""Uploaded files: what kind each one is (by content), whether it opens, and its hidden details.

Everything works on ``bytes`` already in memory; nothing is written to disk. Any problem with a
file is raised as a ``FileProblem`` (``UnsupportedFile``, ``BrokenFile`` or ``TooComplex``)
whose ``message`` can be shown to the reporter as it is.

    kind = identify(data, name=uploaded_name)
    check(data, kind)                       # also when the reporter keeps the hidden details
    hidden_details(data, kind)              # what the reporter is told the file holds
    cleaned = clean(data, kind)             # cleaned.data, cleaned.removed
"""

from dataclasses import dataclass

from . import details as _details
from . import gif, images, jpeg, media, office, pdf, png, webp
from .errors import BrokenFile, FileProblem, TooComplex, UnsupportedFile
from .kinds import KINDS, SUPPORTED_DESCRIPTION, FileKind, identify

__all__ = [
    "KINDS",
    "SUPPORTED_DESCRIPTION",
    "BrokenFile",
    "Cleaned",
    "FileKind",
    "FileProblem",
    "TooComplex",
    "UnsupportedFile",
    "check",
    "clean",
    "hidden_details",
    "identify",
]

_IMAGES = {"jpeg": jpeg, "png": png, "gif": gif, "webp": webp}
_MEDIA = {"heic", "mp4", "mov", "m4a", "mp3", "ogg", "webm", "wav"}


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    removed: tuple  # labels (lazy strings) of the hidden details taken out


def _guarded(work, *args):
    """Run ``work``; anything but a FileProblem means the file could not be read."""
    try:
        return work(*args)
    except FileProblem:
        raise
    except RecursionError as exc:
        raise TooComplex from exc
    except Exception as exc:  # parsers of damaged files fail in many ways
        raise BrokenFile from exc


def _check(data, kind):
    name = kind.name
    if name in _IMAGES:
        width, height, frames = _IMAGES[name].size(data)
        images.check(data, name, width, height, frames)
    elif name == "pdf":
        pdf.check(data)
    elif name in office.OOXML_KINDS | office.ODF_KINDS:
        office.check(data, name)
    elif name == "text":
        if not data or identify(data).name != "text":
            raise BrokenFile
    elif name in _MEDIA:
        media.check(data, name)
    else:
        raise UnsupportedFile


def check(data: bytes, kind: FileKind) -> None:
    """Raise a FileProblem unless the file is whole enough to open, within our limits."""
    _guarded(_check, data, kind)


def _hidden_details(data, kind):
    name = kind.name
    if name in _IMAGES:
        return _details.labels(_IMAGES[name].hidden_details(data))
    if name == "pdf":
        return _details.labels(pdf.hidden_details(data))
    if name in office.OOXML_KINDS | office.ODF_KINDS:
        return _details.labels(office.hidden_details(data, name))
    if name == "heic":
        return (_details.MAY_HOLD_PHOTO,)
    if name in _MEDIA:
        return (_details.MAY_HOLD_RECORDING,)
    return ()


def hidden_details(data: bytes, kind: FileKind) -> tuple:
    """Labels of the hidden details in the file (for kinds we cannot clean: what they may hold)."""
    return _guarded(_hidden_details, data, kind)


def _clean(data, kind):
    name = kind.name
    if name in _IMAGES:
        cleaned, found = _IMAGES[name].clean(data)
    elif name == "pdf":
        cleaned, found = pdf.clean(data)
    elif name in office.OOXML_KINDS | office.ODF_KINDS:
        cleaned, found = office.clean(data, name)
    else:
        return Cleaned(data, ())
    return Cleaned(cleaned, _details.labels(found))


def clean(data: bytes, kind: FileKind) -> Cleaned:
    """The file without its hidden details, and what was removed; unchanged if not cleanable.

    Raises BrokenFile when the file cannot be read (or is a password-protected PDF).
    """
    return _guarded(_clean, data, kind)
