"""PDF: read with pypdf, rewritten without the information dictionary and XMP metadata."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from . import details as d
from .errors import PASSWORD_PROTECTED_PDF, BrokenFile, FileProblem, TooComplex
from .exif import xmp_details

SIGNATURE = b"%PDF-"
MAX_PAGES = 10_000

_INFO_DETAILS = {
    "/Author": d.AUTHOR,
    "/Company": d.COMPANY,
    "/Manager": d.AUTHOR,
    "/CreationDate": d.CREATED,
    "/ModDate": d.CREATED,
}
# Annotations whose /T is the name of whoever wrote them (markup annotations). In form fields
# (widgets) /T is the field's name, and the other kinds have no author.
_NOT_MARKUP = {"/Widget", "/Link", "/Popup", "/Screen", "/PrinterMark", "/TrapNet", "/3D"}
# Private data of the application that made the file, sometimes a whole earlier version of it.
_PRIVATE = "/PieceInfo"


def _read(data):
    if not data.startswith(SIGNATURE):
        raise BrokenFile
    try:
        reader = PdfReader(io.BytesIO(data))
        return reader, reader.is_encrypted
    except DependencyError:
        # Opening tries the empty password, and for AES-256 that needs a cryptography library
        # we do not install: the file is encrypted, whatever its password.
        return None, True
    except Exception as exc:  # pypdf raises many kinds of error for damaged files
        raise BrokenFile from exc


def _count_pages(reader):
    pages = len(reader.pages)
    if pages == 0:
        raise BrokenFile
    if pages > MAX_PAGES:
        raise TooComplex
    return pages


def check(data):
    reader, encrypted = _read(data)
    if encrypted:
        return  # its contents cannot be read without the password; it can still be kept
    try:
        _count_pages(reader)
        _details(reader)  # reads the information dictionary and every page's annotations
    except FileProblem:
        raise
    except Exception as exc:
        raise BrokenFile from exc


def _authored_annotations(page):
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    if not isinstance(annotations, list):
        return
    for reference in annotations:
        annotation = reference.get_object()
        if (
            isinstance(annotation, dict)
            and "/T" in annotation
            and annotation.get("/Subtype") not in _NOT_MARKUP
        ):
            yield annotation


def _details(reader):
    found = set()
    info = reader.metadata or {}
    for key, value in info.items():
        if str(value.get_object() if hasattr(value, "get_object") else value).strip():
            found.add(_INFO_DETAILS.get(key, d.OTHER))
    root = reader.root_object
    metadata = root.get("/Metadata")
    if metadata is not None:
        try:
            found |= xmp_details(metadata.get_object().get_data())
        except Exception:  # an unreadable packet is dropped all the same
            found.add(d.OTHER)
    if _PRIVATE in root:
        found.add(d.OTHER)
    for page in reader.pages:
        if "/Metadata" in page or _PRIVATE in page:
            found.add(d.OTHER)
        if any(True for _ in _authored_annotations(page)):
            found.add(d.HISTORY)
    return found


def hidden_details(data):
    reader, encrypted = _read(data)
    if encrypted:
        return {d.OTHER}  # its details cannot be read without the password
    try:
        return _details(reader)
    except FileProblem:
        raise
    except Exception as exc:
        raise BrokenFile from exc


def clean(data):
    reader, encrypted = _read(data)
    if encrypted:
        raise BrokenFile(PASSWORD_PROTECTED_PDF)
    try:
        _count_pages(reader)
        found = _details(reader)
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # no information dictionary at all, not even "Producer"
        root = writer.root_object
        root.pop("/Metadata", None)
        root.pop(_PRIVATE, None)
        for page in writer.pages:
            page.pop("/Metadata", None)
            page.pop(_PRIVATE, None)
            for annotation in _authored_annotations(page):
                annotation.pop("/T", None)
        # The clone still holds the removed objects (information dictionary, XMP stream)
        # unreferenced: leave them out of the file written.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except FileProblem:
        raise
    except Exception as exc:
        raise BrokenFile from exc
    return out.getvalue(), found
