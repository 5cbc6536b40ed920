"""Office Open XML (docx, xlsx, pptx) and OpenDocument (odt, ods, odp) files: zip packages.

The zip is checked before anything in it is decompressed: how many members, how large once
unpacked, how much each one expands, and whether any name tries to leave the package. Cleaning
rewrites the package member by member: the property parts are replaced with empty ones, names of
people in comments and tracked changes are replaced with a neutral one, pictures inside lose
their own hidden details, and each member's date is reset. Everything else is copied unchanged.
XML is edited as text with narrow patterns rather than parsed and re-written, so that nothing
else in it changes (Office is strict about namespace prefixes).
"""

import io
import re
import zipfile
from pathlib import PurePosixPath

from . import details as d
from . import gif, jpeg, png, webp
from .errors import ARCHIVE, BrokenFile, FileProblem, TooComplex, UnsupportedFile

MAX_MEMBERS = 5_000
# The work one file may cost (docs/security.md, "Limits"): every member is unpacked in memory
# and its XML passed through a few patterns, three times (check, details, cleaning). A budget on
# the bytes unpacked over all members, on any one member, and on the XML the patterns read keeps
# the worst package to a few seconds and well under 100 MB, whatever its own size.
MAX_UNPACKED = 64 * 1024 * 1024
MAX_MEMBER_UNPACKED = 24 * 1024 * 1024
MAX_MARKUP = 10 * 1024 * 1024
MAX_RATIO = 200
# Members smaller than this once unpacked cannot hurt, whatever their ratio (tiny repetitive
# XML parts compress very well).
RATIO_CHECKED_FROM = 1024 * 1024
_MAX_DIRECTORY = MAX_MEMBERS * 1024
_MAX_TYPES_PART = 1024 * 1024
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)

ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML_MAIN = re.compile(
    rb"application/vnd\.openxmlformats-officedocument\."
    rb"(wordprocessingml\.document|spreadsheetml\.sheet|presentationml\.presentation)\.main\+xml"
)
_OOXML_TYPES = {
    b"wordprocessingml.document": "docx",
    b"spreadsheetml.sheet": "xlsx",
    b"presentationml.presentation": "pptx",
}
OOXML_KINDS = {"docx", "xlsx", "pptx"}
ODF_KINDS = {"odt", "ods", "odp"}

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>'
)
_EMPTY_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="%s"><office:meta/></office:document-meta>'
)
_ODF_VERSION = re.compile(rb'office:version="([0-9.]{1,8})"')

_CORE = "core-properties"
_APP = "extended-properties"
_CUSTOM = "custom-properties"
_DEFAULT_PARTS = {
    _CORE: "docProps/core.xml",
    _APP: "docProps/app.xml",
    _CUSTOM: "docProps/custom.xml",
}
_RELATIONSHIP = re.compile(
    rb"<(?:[\w.-]+:)?Relationship\b[^>]*?(?:/>|>\s*</(?:[\w.-]+:)?Relationship>)"
)
_REL_TYPE = re.compile(rb'\sType\s*=\s*"[^"]*/([\w-]+)"')
_REL_TARGET = re.compile(rb'\sTarget\s*=\s*"([^"]*)"')

# An element and the text right after its start tag (not a self-closing one).
_ELEMENT_TEXT = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)(?:\s[^<>]*)?(?<!/)>([^<]*)")
# Elements that say something even when they have no text (a template's path, say).
_TELLING_ELEMENTS = re.compile(rb"<(?:[\w.-]+:)?(?:template|user-defined|property)\b")
_PROPERTY_DETAILS = {
    b"creator": d.AUTHOR,
    b"lastModifiedBy": d.AUTHOR,
    b"initial-creator": d.AUTHOR,
    b"printed-by": d.AUTHOR,
    b"Manager": d.AUTHOR,
    b"Company": d.COMPANY,
    b"created": d.CREATED,
    b"modified": d.CREATED,
    b"lastPrinted": d.CREATED,
    b"creation-date": d.CREATED,
    b"date": d.CREATED,
    b"print-date": d.CREATED,
    b"revision": d.HISTORY,
    b"TotalTime": d.HISTORY,
    b"editing-cycles": d.HISTORY,
    b"editing-duration": d.HISTORY,
}

# Where people's names are, by kind: (member names, attribute names, element names).
_NEUTRAL = {
    b"author": b"Author",
    b"creator": b"Author",
    b"displayName": b"Author",
    b"name": b"Author",
    b"initials": b"A",
    b"userId": b"",
}
_ODF_PEOPLE = ((re.compile(r"(?:content|styles)\.xml"), (), (b"creator",)),)
_PEOPLE = {
    "docx": ((re.compile(r"word/.+\.xml"), (b"author", b"initials", b"userId"), ()),),
    "xlsx": (
        (re.compile(r"xl/comments[^/]*\.xml"), (), (b"author",)),
        (re.compile(r"xl/persons/[^/]+\.xml"), (b"displayName", b"userId"), ()),
    ),
    "pptx": (
        (re.compile(r"ppt/(?:commentAuthors|authors)\.xml"), (b"name", b"initials", b"userId"), ()),
    ),
    "odt": _ODF_PEOPLE,
    "ods": _ODF_PEOPLE,
    "odp": _ODF_PEOPLE,
}

_PICTURES = (
    (jpeg.SIGNATURE, jpeg),
    (png.SIGNATURE, png),
    (b"GIF87a", gif),
    (b"GIF89a", gif),
)


def _precheck_directory(data):
    """Refuse a zip whose central directory is too large before zipfile parses it all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise BrokenFile
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] != b"PK\x06\x06":
            raise BrokenFile
        entries = int.from_bytes(data[record + 32 : record + 40], "little")
        size = int.from_bytes(data[record + 40 : record + 48], "little")
    if entries > MAX_MEMBERS or size > _MAX_DIRECTORY:
        raise TooComplex


def open_zip(data):
    """The zip and its members, once the directory is known to be of a sane size."""
    _precheck_directory(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # zipfile raises several kinds of error for damaged files
        raise BrokenFile from exc
    if len(members) > MAX_MEMBERS:
        raise TooComplex
    return archive, members


def check_members(members):
    """Names that stay inside the package, no duplicates or encryption, bounded expansion."""
    seen = set()
    unpacked = markup = 0
    for info in members:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if (
            not name
            or name.startswith(("/", "\\"))
            or ".." in parts
            or ":" in name
            or "\x00" in name
            or name in seen
        ):
            raise BrokenFile
        seen.add(name)
        encrypted = info.flag_bits & 0x1
        if encrypted or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BrokenFile
        unpacked += info.file_size
        if name.lower().endswith((".xml", ".rels")):
            markup += info.file_size
        if unpacked > MAX_UNPACKED or markup > MAX_MARKUP or info.file_size > MAX_MEMBER_UNPACKED:
            raise TooComplex
        if info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise TooComplex


def read_member(archive, info):
    """A member's content, read no further than its declared size (checked beforehand)."""
    try:
        with archive.open(info) as member:
            content = member.read(info.file_size + 1)
    except Exception as exc:  # a bad CRC, bad deflate data, a header that disagrees...
        raise BrokenFile from exc
    if len(content) != info.file_size:
        raise BrokenFile
    return content


def kind_of(data):
    """The kind name of an office package, or UnsupportedFile for any other zip."""
    archive, members = open_zip(data)
    by_name = {info.filename: info for info in members}
    kind = None
    looks_like_office = False
    mimetype = by_name.get("mimetype")
    types = by_name.get("[Content_Types].xml")
    if mimetype is not None and mimetype.file_size <= 200:
        looks_like_office = True
        kind = ODF_TYPES.get(read_member(archive, mimetype).strip())
    elif types is not None and types.file_size <= _MAX_TYPES_PART:
        looks_like_office = True
        found = _OOXML_MAIN.search(read_member(archive, types))
        kind = _OOXML_TYPES[found.group(1)] if found else None
    if kind is None and looks_like_office:
        raise UnsupportedFile  # an office format we do not take (macros, templates, e-books...)
    if kind is None:
        raise UnsupportedFile(ARCHIVE)
    check_members(members)
    return kind


class _Package:
    """One office package being read: where its parts are, and what to do with each member."""

    def __init__(self, data, kind_name):
        self.kind_name = kind_name
        self.archive, self.members = open_zip(data)
        check_members(self.members)
        self.parts = {}
        if kind_name in OOXML_KINDS:
            self.parts = {value: {key} for key, value in _DEFAULT_PARTS.items()}
            rels = next((i for i in self.members if i.filename == "_rels/.rels"), None)
            if rels is not None:
                for relationship in _RELATIONSHIP.findall(read_member(self.archive, rels)):
                    kind = _REL_TYPE.search(relationship)
                    target = _REL_TARGET.search(relationship)
                    if kind and target and kind.group(1).decode() in _DEFAULT_PARTS:
                        name = target.group(1).decode("utf-8", "replace").lstrip("/")
                        self.parts.setdefault(name, set()).add(kind.group(1).decode())
        self.custom_parts = {name for name, roles in self.parts.items() if _CUSTOM in roles}

    def members_and_contents(self):
        for info in self.members:
            yield info, read_member(self.archive, info)

    def transform(self, name, content, *, strict):
        """(new content, or None to leave the member out; keys of the details it had).

        A damaged picture inside raises BrokenFile when ``strict`` (cleaning), and otherwise
        counts as "other hidden details", since many programs still open such documents.
        """
        roles = self.parts.get(name, set())
        if _CUSTOM in roles:
            return None, _property_details(content)
        if _CORE in roles:
            return _EMPTY_CORE, _property_details(content)
        if _APP in roles:
            return _EMPTY_APP, _property_details(content)
        if name == "meta.xml" and self.kind_name in ODF_KINDS:
            found = _ODF_VERSION.search(content)
            version = found.group(1) if found else b"1.2"
            return _EMPTY_META % version, _property_details(content)
        if name == "_rels/.rels" and self.custom_parts:
            return _RELATIONSHIP.sub(_drop_custom_relationship, content), set()
        if name == "[Content_Types].xml" and self.custom_parts:
            for part in self.custom_parts:
                override = rb'<Override\b[^>]*PartName\s*=\s*"/?%s"[^>]*/>' % re.escape(
                    part.encode()
                )
                content = re.sub(override, b"", content)
            return content, set()
        for pattern, attributes, elements in _PEOPLE[self.kind_name]:
            if pattern.fullmatch(name):
                return _neutralise_people(content, attributes, elements)
        picture = next((m for sig, m in _PICTURES if content.startswith(sig)), None)
        if picture is None and webp.is_webp(content):
            picture = webp
        if picture is None:
            return content, set()
        try:
            return picture.clean(content)
        except BrokenFile:
            if strict:
                raise  # a picture we cannot clean: the document cannot be cleaned either
            return content, {d.OTHER}


def _drop_custom_relationship(found):
    kind = _REL_TYPE.search(found.group(0))
    return b"" if kind and kind.group(1) == _CUSTOM.encode() else found.group(0)


def _property_details(content):
    found = set()
    for local_name, text in _ELEMENT_TEXT.findall(content):
        if text.strip():
            found.add(_PROPERTY_DETAILS.get(local_name, d.OTHER))
    if _TELLING_ELEMENTS.search(content):
        found.add(d.OTHER)
    return found


_PREFIX = re.compile(rb"[\w.-]+:")


def _neutralise_people(content, attributes, elements):
    found = set()

    def replace(match):
        neutral = _NEUTRAL[match.group("name")]
        value = match.group("value")
        if value not in (neutral, b""):
            found.add(d.HISTORY)
        return match.group("head") + neutral + match.group("tail")

    def replace_attribute(match):
        # The pattern starts with the attribute's name, a literal that the regular expression
        # engine finds fast; what must come before it (a space, or a namespace prefix after one)
        # is checked here, not tried at every space of the part.
        start = match.start()
        previous = content[start - 1 : start]
        if previous.isspace():
            return replace(match)
        if previous == b":":
            window = max(0, start - 256)  # a namespace prefix is a few characters
            space = max(content.rfind(b" ", window, start), content.rfind(b"\n", window, start),
                        content.rfind(b"\t", window, start), content.rfind(b"\r", window, start))
            if space >= 0 and _PREFIX.fullmatch(content, space + 1, start):
                return replace(match)
        return match.group(0)

    for attribute in attributes:
        pattern = (
            rb"(?P<head>(?P<name>%s)\s*=\s*(?P<quote>[\"']))(?P<value>[^\"'<>]*)"
            rb"(?P<tail>(?P=quote))" % attribute
        )
        content = re.sub(pattern, replace_attribute, content)
    for element in elements:
        pattern = (
            rb"(?P<head><(?P<prefix>[\w.-]+:)?(?P<name>%s)>)(?P<value>[^<]*)"
            rb"(?P<tail></(?P=prefix)?(?P=name)>)" % element
        )
        content = re.sub(pattern, replace, content)
    return content, found


def check(data, kind_name):
    """The package opens, within limits, and every member unpacks with a correct CRC."""
    package = _Package(data, kind_name)
    for _member in package.members_and_contents():
        pass  # reading each member to its end checks its CRC


def hidden_details(data, kind_name):
    package = _Package(data, kind_name)
    found = set()
    for info, content in package.members_and_contents():
        found |= package.transform(info.filename, content, strict=False)[1]
    return found


def clean(data, kind_name):
    package = _Package(data, kind_name)
    found = set()
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w") as target:
            for info, content in package.members_and_contents():
                new, details = package.transform(info.filename, content, strict=True)
                found |= details
                if new is None:
                    continue
                member = zipfile.ZipInfo(info.filename, date_time=_FIXED_DATE)
                member.compress_type = info.compress_type
                target.writestr(member, new)
    except FileProblem:
        raise
    except Exception as exc:
        raise BrokenFile from exc
    return out.getvalue(), found
