"""Reading what a person or an advocate can produce from a phone, without rooting it.

* `adb shell pm list packages -f -i -U` (the package list with installers),
* AndroidQF's `packages.json`,
* an Android bug report (the zip, its main text file, or `adb shell dumpsys` output): its package
  section, and the device administrators and accessibility services when it shows them,
* an iPhone's App Privacy Report (NDJSON: which app used location, camera, microphone or
  contacts, and the domains each app contacted).

`read_input(stream)` takes a binary file object, tells by content which of these it is, and
streams through it under a size cap. It never raises: whatever it cannot read becomes a plain
problem in the result, and a file that is none of these says what was expected.
Problems never quote the file's content (line numbers only).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PM_LIST = "pm_list"
ANDROIDQF = "androidqf_packages"
BUGREPORT = "bugreport"
PRIVACY_REPORT = "ios_privacy_report"
UNKNOWN = "unknown"

MAX_BYTES = 64 * 1024 * 1024  # what is read of one file; a bug report's text is ~20-60 MB
MAX_LINE = 256 * 1024  # longer lines are cut there
MAX_APPS = 20_000
CHUNK = 64 * 1024
HEAD = 64 * 1024  # read first, to tell what the file is

SYSTEM_PATHS = ("/system/", "/product/", "/vendor/", "/system_ext/", "/apex/", "/odm/", "/oem/")
_PACKAGE = re.compile(r"^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$")
_BR_PACKAGE = re.compile(r"^\s*Package \[(?P<name>[^\]\s]+)\] \([0-9a-fA-F]+\):\s*$")
_BR_FIELD = re.compile(r"^\s+(?P<key>installerPackageName|userId|codePath|pkgFlags)=(?P<value>.*)$")
_COMPONENT = re.compile(
    r"(?<![A-Za-z0-9_.])([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)/[A-Za-z0-9_.$]+"
)


@dataclass
class App:
    """One installed app as an input shows it. `installer` is None when the input does not say;
    "null" (as Android prints it) or "" when the phone knows of no installer."""

    package: str
    installer: str | None = None
    uid: int | None = None
    system: bool | None = None
    path: str = ""
    certificates: set[str] = field(default_factory=set)  # upper-case hex SHA-1
    file_hashes: set[str] = field(default_factory=set)  # lower-case hex SHA-256
    device_admin: bool = False
    accessibility: bool = False


@dataclass
class AppActivity:
    """What the App Privacy Report says one app did."""

    bundle_id: str
    accesses: dict[str, int] = field(default_factory=dict)  # category -> times
    domains: dict[str, int] = field(default_factory=dict)  # domain -> hits


@dataclass
class ParsedInput:
    kind: str
    apps: list[App] = field(default_factory=list)
    activity: dict[str, AppActivity] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # Set when the file is none of the formats: a plain sentence saying what was expected.
    expected: str = ""


def expected_message() -> str:
    return _(
        "This file is not one we can read. We expected the text that "
        "“adb shell pm list packages -f -i -U” prints, an AndroidQF packages.json, an Android "
        "bug report, or an iPhone App Privacy Report (.ndjson)."
    )


# Reading bytes as text, under a cap ------------------------------------------------------------


class _Reader:
    """Reads a binary stream under MAX_BYTES, the head first, and remembers what happened."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.read_bytes = 0
        self.capped = False
        self.failed = False
        self.head = self._read(HEAD)
        self._head_pending = True

    def _read(self, size: int) -> bytes:
        room = self.limit - self.read_bytes
        if room <= 0:
            if not self.capped:
                try:
                    self.capped = bool(self.stream.read(1))
                except Exception:  # a broken stream is a problem to report, never a crash
                    self.failed = True
            return b""
        try:
            data = self.stream.read(min(size, room))
        except Exception:
            self.failed = True
            return b""
        if not isinstance(data, bytes):
            self.failed = True
            return b""
        self.read_bytes += len(data)
        return data

    def chunks(self) -> Iterator[bytes]:
        if self._head_pending:
            self._head_pending = False
            if self.head:
                yield self.head
        while True:
            data = self._read(CHUNK)
            if not data:
                return
            yield data


def _decoder_for(head: bytes) -> codecs.IncrementalDecoder:
    # PowerShell's `>` writes UTF-16 with a byte-order mark; everything else here is UTF-8.
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return codecs.getincrementaldecoder("utf-16")(errors="replace")
    if head.startswith(codecs.BOM_UTF8):
        return codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    if len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0:3:2] != b"\x00\x00":
        return codecs.getincrementaldecoder("utf-16-le")(errors="replace")
    return codecs.getincrementaldecoder("utf-8")(errors="replace")


def _head_text(head: bytes) -> str:
    decoder = _decoder_for(head)
    return decoder.decode(head[:HEAD], final=False)


def _lines(chunks: Iterator[bytes], head: bytes, cut: list[int]) -> Iterator[str]:
    """Text lines of the stream; a line longer than MAX_LINE is cut (counted in cut[0])."""
    decoder = _decoder_for(head)
    pending = ""
    for chunk in chunks:
        # Split on "\n" alone: str.splitlines would also split inside a JSON string that holds
        # a form feed or U+2028.
        parts = (pending + decoder.decode(chunk)).split("\n")
        pending = parts.pop()
        for part in parts:
            yield part.rstrip("\r")
        if len(pending) > MAX_LINE:
            cut[0] += 1
            yield pending[:MAX_LINE]
            pending = ""
            # Skip the rest of this over-long line.
            for rest in chunks:
                text = decoder.decode(rest)
                end = text.find("\n")
                if end >= 0:
                    pending = text[end + 1:]
                    break
    # What is left may hold several lines (when skipping a long line read the last chunk).
    pending += decoder.decode(b"", final=True)
    parts = pending.split("\n")
    if parts[-1] == "":
        parts.pop()
    for part in parts:
        yield part.rstrip("\r")


# Telling what the file is ----------------------------------------------------------------------


def detect(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return BUGREPORT
    text = _head_text(head).lstrip("\ufeff \t\r\n")
    if not text:
        return UNKNOWN
    if text.startswith("["):
        return ANDROIDQF if '"name"' in text[:HEAD] else UNKNOWN
    if text.startswith("{"):
        first = text.split("\n", 1)[0]
        if any(marker in first for marker in ('"networkActivity"', '"access"', '"bundleID"',
                                              '"accessor"')):
            return PRIVACY_REPORT
        return UNKNOWN
    for line in text.splitlines()[:50]:
        if line.startswith("package:") and _pm_fields(line.split())[0]:
            return PM_LIST
    if ("DUMP OF SERVICE" in text or "== dumpstate" in text or "Package [" in text
            or "Packages:" in text):
        return BUGREPORT
    return UNKNOWN


def read_input(stream: IO[bytes], *, limit: int = MAX_BYTES) -> ParsedInput:
    """Reads one file; never raises on any input."""
    try:
        reader = _Reader(stream, limit)
        kind = detect(reader.head)
        if not reader.head:
            return ParsedInput(kind=UNKNOWN, problems=[_("The file is empty.")],
                               expected=expected_message())
        if kind == UNKNOWN:
            return ParsedInput(kind=UNKNOWN, expected=expected_message())
        parser = {PM_LIST: _pm_list, ANDROIDQF: _androidqf, BUGREPORT: _bugreport,
                  PRIVACY_REPORT: _privacy_report}[kind]
        result = parser(reader)
        if reader.capped:
            result.problems.append(
                _("The file is larger than %(size)s MB: only the first part was checked.")
                % {"size": limit // 2**20})
        if reader.failed:
            result.problems.append(_("The file could not be read to the end."))
        if not result.apps and not result.activity and not result.expected:
            result.problems.append(_("No apps were found in the file."))
        return result
    except Exception:  # the last guard: a parser bug must not become a crash for the person
        return ParsedInput(kind=UNKNOWN, problems=[_("The file could not be read.")],
                           expected=expected_message())


def _skipped(count: int, first: int) -> str:
    return ngettext(
        "%(count)s line could not be read and was skipped (line %(line)s).",
        "%(count)s lines could not be read and were skipped (the first at line %(line)s).",
        count,
    ) % {"count": count, "line": first}


def _valid_package(name: str) -> bool:
    return 0 < len(name) <= 255 and bool(_PACKAGE.match(name))


def _system_path(path: str) -> bool | None:
    if not path:
        return None
    return path.startswith(SYSTEM_PATHS)


# adb shell pm list packages -f -i -U ----------------------------------------------------------


def _pm_list(reader: _Reader) -> ParsedInput:
    result = ParsedInput(kind=PM_LIST)
    seen: set[str] = set()
    bad, first_bad, cut = 0, 0, [0]
    for number, raw in enumerate(_lines(reader.chunks(), reader.head, cut), 1):
        parts = raw.split()
        if not parts:
            continue
        name, installer, uid = _pm_fields(parts)
        if name is None:
            bad += 1
            first_bad = first_bad or number
            continue
        # With -f the name is "<path to the APK>=<package>"; the path itself may hold "=".
        path, _eq, package = name.rpartition("=")
        if not _valid_package(package):
            bad += 1
            first_bad = first_bad or number
            continue
        if package in seen:
            continue
        if len(result.apps) >= MAX_APPS:
            result.problems.append(_("Only the first %(count)s apps were checked.")
                                   % {"count": MAX_APPS})
            break
        seen.add(package)
        result.apps.append(App(package=package, installer=installer, path=path,
                               system=_system_path(path), uid=uid))
    if bad:
        result.problems.append(_skipped(bad, first_bad))
    return result


def _pm_fields(parts: list[str]) -> tuple[str | None, str | None, int | None]:
    """(name, installer, uid) of one line of `pm list packages`, split on blanks; name is None
    when the line is not one. Faster than a regular expression on 1,000-line lists."""
    if not parts[0].startswith("package:") or len(parts) > 3:
        return None, None, None
    name = parts[0][8:]
    installer: str | None = None
    uid: int | None = None
    for part in parts[1:]:
        if part.startswith("installer=") and installer is None:
            installer = part[10:]
        elif part.startswith("uid:") and uid is None:
            digits = part[4:].split(",", 1)[0]
            if not digits.isdigit():
                return None, None, None
            uid = int(digits[:9])
        else:
            return None, None, None
    return (name or None), installer, uid


# AndroidQF packages.json ----------------------------------------------------------------------


def _androidqf(reader: _Reader) -> ParsedInput:
    result = ParsedInput(kind=ANDROIDQF)
    decoder = _decoder_for(reader.head)
    text = "".join(decoder.decode(chunk) for chunk in reader.chunks())
    text += decoder.decode(b"", final=True)
    json_decoder = json.JSONDecoder()
    position = text.find("[") + 1
    seen: set[str] = set()
    bad = 0
    ended = False
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n,\ufeff":
            position += 1
        if position >= len(text):
            break
        if text[position] == "]":
            ended = True
            break
        try:
            item, position = json_decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        app = _androidqf_app(item)
        if app is None:
            bad += 1
            continue
        if app.package in seen:
            continue
        if len(result.apps) >= MAX_APPS:
            result.problems.append(_("Only the first %(count)s apps were checked.")
                                   % {"count": MAX_APPS})
            ended = True
            break
        seen.add(app.package)
        result.apps.append(app)
    if not ended:
        result.problems.append(
            _("The file ends part way through: only the apps before that point were checked."))
    if bad:
        result.problems.append(ngettext(
            "%(count)s entry was not an app and was skipped.",
            "%(count)s entries were not apps and were skipped.", bad) % {"count": bad})
    return result


def _androidqf_app(item: object) -> App | None:
    if not isinstance(item, dict):
        return None
    name = item.get("name")
    if not isinstance(name, str) or not _valid_package(name):
        return None
    installer = item.get("installer")
    uid = item.get("uid")
    system = item.get("system")
    app = App(
        package=name,
        installer=installer if isinstance(installer, str) else None,
        uid=uid if isinstance(uid, int) and not isinstance(uid, bool) else None,
        system=system if isinstance(system, bool) else None,
    )
    files = item.get("files")
    for entry in files if isinstance(files, list) else []:
        if not isinstance(entry, dict):
            continue
        if not app.path and isinstance(entry.get("path"), str):
            app.path = entry["path"][:1024]
        digest = entry.get("sha256")
        if isinstance(digest, str) and len(digest) == 64:
            app.file_hashes.add(digest.lower())
        certificate = entry.get("certificate")
        if isinstance(certificate, dict):
            sha1 = certificate.get("Sha1") or certificate.get("sha1")
            if isinstance(sha1, str) and len(sha1) == 40:
                app.certificates.add(sha1.upper())
    if app.system is None:
        app.system = _system_path(app.path)
    return app


# An Android bug report ------------------------------------------------------------------------


def _bugreport(reader: _Reader) -> ParsedInput:
    result = ParsedInput(kind=BUGREPORT)
    chunks, head = reader.chunks(), reader.head
    if head.startswith(b"PK\x03\x04"):
        opened = _bugreport_text_in_zip(reader, result)
        if opened is None:
            return result
        chunks, head = opened
    apps: dict[str, App] = {}
    admins: set[str] = set()
    accessibility: set[str] = set()
    current: App | None = None
    admin_indent: int | None = None
    cut = [0]
    for line in _lines(chunks, head, cut):
        match = _BR_PACKAGE.match(line)
        if match:
            name = match["name"]
            # "Hidden system packages:" repeats packages already listed: the first one counts.
            if _valid_package(name) and name not in apps and len(apps) < MAX_APPS:
                current = apps[name] = App(package=name)
            else:
                current = None
            admin_indent = None
            continue
        if current is not None:
            field_match = _BR_FIELD.match(line)
            if field_match:
                key, value = field_match["key"], field_match["value"].strip()
                if key == "installerPackageName":
                    current.installer = value
                elif key == "userId" and value[:9].isdigit():
                    current.uid = int(value[:9])
                elif key == "codePath":
                    current.path = value[:1024]
                    current.system = _system_path(value) or current.system
                elif key == "pkgFlags" and " SYSTEM " in f" {value.strip('[]')} ":
                    current.system = True
                continue
            if line and not line.startswith("    "):
                current = None
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if "Enabled Device Admins" in line:
            admin_indent = indent
            continue
        if admin_indent is not None:
            if not stripped or indent <= admin_indent:
                admin_indent = None
            else:
                found = _COMPONENT.match(stripped)
                if found:
                    admins.add(found.group(1))
                continue
        lowered = stripped.lower()
        if ("enabled services" in lowered or "enabledservices" in lowered
                or lowered.startswith("enabled_accessibility_services")):
            accessibility.update(found.group(1) for found in _COMPONENT.finditer(stripped))
    if not apps:
        result.problems.append(_("The bug report has no list of apps."))
    for package in admins | accessibility:
        if package not in apps and _valid_package(package) and len(apps) < MAX_APPS:
            apps[package] = App(package=package)
    for package in admins:
        if package in apps:
            apps[package].device_admin = True
    for package in accessibility:
        if package in apps:
            apps[package].accessibility = True
    result.apps = list(apps.values())
    return result


def _bugreport_text_in_zip(reader: _Reader, result: ParsedInput
                           ) -> tuple[Iterator[bytes], bytes] | None:
    """The main text of a bug report zip (bugreport-*.txt), read in chunks under the cap.

    The zip is read into memory under the same cap (a zip needs its end to be found); the text
    inside is decompressed as a stream and stops at the cap too, so a zip bomb costs no more
    than a large file."""
    data = b"".join(reader.chunks())
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [info for info in archive.infolist()
                 if info.filename.rsplit("/", 1)[-1].startswith(("bugreport", "dumpstate"))
                 and info.filename.endswith(".txt")]
        if not names:
            result.problems.append(_("The zip file has no bug report in it."))
            result.expected = expected_message()
            return None
        member = archive.open(max(names, key=lambda info: info.file_size))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        result.problems.append(_("The zip file could not be opened."))
        result.expected = expected_message()
        return None
    inner = _Reader(member, reader.limit)
    reader.capped = reader.capped or inner.capped

    def chunks() -> Iterator[bytes]:
        yield from inner.chunks()
        reader.capped = reader.capped or inner.capped
        reader.failed = reader.failed or inner.failed

    return chunks(), inner.head


# The iPhone's App Privacy Report --------------------------------------------------------------

ACCESS_CATEGORIES = ("location", "camera", "microphone", "contacts")


def _privacy_report(reader: _Reader) -> ParsedInput:
    result = ParsedInput(kind=PRIVACY_REPORT)
    activity = result.activity
    bad, first_bad, cut = 0, 0, [0]
    loads = json.loads
    for number, line in enumerate(_lines(reader.chunks(), reader.head, cut), 1):
        if not line or line.isspace():
            continue
        try:
            record = loads(line)
        except (ValueError, RecursionError):
            bad += 1
            first_bad = first_bad or number
            continue
        if not isinstance(record, dict):
            bad += 1
            first_bad = first_bad or number
            continue
        kind = record.get("type")
        if kind == "networkActivity":
            bundle = record.get("bundleID")
            domain = record.get("domain")
            if not isinstance(bundle, str) or not isinstance(domain, str) or not bundle:
                bad += 1
                first_bad = first_bad or number
                continue
            app = activity.get(bundle)
            if app is None:
                if len(activity) >= MAX_APPS:
                    continue
                app = activity[bundle] = AppActivity(bundle_id=bundle[:255])
            hits = record.get("hits")
            domain = domain.strip().lower().rstrip(".")[:253]
            app.domains[domain] = app.domains.get(domain, 0) + (
                hits if isinstance(hits, int) and 0 < hits < 2**31 else 1)
        elif kind == "access":
            accessor = record.get("accessor")
            bundle = None
            if isinstance(accessor, dict):
                bundle = accessor.get("identifier")
            if not isinstance(bundle, str):
                bundle = record.get("bundleID")
            category = record.get("category")
            if not isinstance(bundle, str) or not bundle or not isinstance(category, str):
                bad += 1
                first_bad = first_bad or number
                continue
            # An access is written twice (intervalBegin, intervalEnd): count the beginnings.
            if record.get("kind") == "intervalEnd":
                continue
            app = activity.get(bundle)
            if app is None:
                if len(activity) >= MAX_APPS:
                    continue
                app = activity[bundle] = AppActivity(bundle_id=bundle[:255])
            category = category.lower()[:64]
            app.accesses[category] = app.accesses.get(category, 0) + 1
        # Other record types (Apple adds some between versions) are left alone.
    if bad:
        result.problems.append(_skipped(bad, first_bad))
    return result
