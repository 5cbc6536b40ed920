"""Indicator sets: known stalkerware and dual-use apps, read from Echap's YAML or a STIX 2.1 bundle.

An `Indicators` holds families (a name, a kind) and what points at each: package names, signing
certificate SHA-1s, APK SHA-256s, server domains and IPs. It is plain data: it turns into JSON
(`to_json`) for the database copy an administrator loads with `techcheck_load_indicators`, and back
(`from_json`). The copy shipped in `data/` is the default; nothing is fetched at run time.

Loaders never raise on a bad file: they return what they could read and a list of plain problems
(in English, for the administrator who runs the command).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
ECHAP = DATA / "echap"

STALKERWARE = "stalkerware"
WATCHWARE = "watchware"  # Echap's word for monitoring apps sold for children or employees
DUAL_USE = "dual_use"  # family locators, parental control, remote access (data/dual_use.yaml)
KINDS = (STALKERWARE, WATCHWARE, DUAL_USE)

# Where a domain was seen: a command-and-control server, or a website / download host.
C2 = "c2"
WEB = "web"

ECHAP_ATTRIBUTION = "Stalkerware indicators by Echap, CC-BY 4.0"
MAX_INDICATOR_BYTES = 64 * 1024 * 1024

_PACKAGE = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$")
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_DOMAIN = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)+$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
# One comparison of a STIX pattern: [object:path = 'value'] (Echap writes no other kind).
_STIX = re.compile(
    r"\[\s*(?P<object>[a-z0-9-]+):(?P<path>[A-Za-z0-9_.'-]+)\s*=\s*'(?P<value>(?:[^'\\]|\\.)*)'\s*\]"
)


@dataclass(frozen=True)
class Family:
    name: str
    kind: str
    source: str = ""  # where the entry comes from, for dual-use entries written here


@dataclass
class Indicators:
    name: str
    version: str
    date: str  # ISO date of the data, "" when unknown
    source: str
    attribution: str
    families: list[Family] = field(default_factory=list)
    packages: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)  # upper-case hex SHA-1
    file_hashes: dict[str, int] = field(default_factory=dict)  # lower-case hex SHA-256
    domains: dict[str, tuple[int, str]] = field(default_factory=dict)  # domain -> (family, role)
    ips: dict[str, int] = field(default_factory=dict)
    # Family names and aliases, lower-case, for samples.csv (which names a family); not stored.
    names: dict[str, int] = field(default_factory=dict, repr=False)

    def family(self, index: int) -> Family:
        return self.families[index]

    def counts(self) -> dict[str, int]:
        return {
            "families": len(self.families), "packages": len(self.packages),
            "certificates": len(self.certificates), "file_hashes": len(self.file_hashes),
            "domains": len(self.domains), "ips": len(self.ips),
        }

    # Building ---------------------------------------------------------------------------------

    def add_family(self, name: str, kind: str, source: str = "") -> int:
        self.families.append(Family(name=name, kind=kind if kind in KINDS else STALKERWARE,
                                    source=source))
        self.names.setdefault(name.lower(), len(self.families) - 1)
        return len(self.families) - 1

    def add_package(self, value: str, index: int) -> bool:
        value = value.strip()
        if not _PACKAGE.match(value) or len(value) > 255:
            return False
        self._keep(self.packages, value, index)
        return True

    def add_certificate(self, value: str, index: int) -> bool:
        value = value.strip().replace(":", "").upper()
        if len(value) != 40 or not _HEX.match(value):
            return False
        self._keep(self.certificates, value, index)
        return True

    def add_file_hash(self, value: str, index: int) -> bool:
        value = value.strip().lower()
        if len(value) != 64 or not _HEX.match(value):
            return False
        self._keep(self.file_hashes, value, index)
        return True

    def add_domain(self, value: str, index: int, role: str) -> bool:
        value = value.strip().lower().rstrip(".")
        if value.startswith("*."):
            value = value[2:]
        if not _DOMAIN.match(value) or len(value) > 253:
            return False
        existing = self.domains.get(value)
        # A command-and-control entry wins over a website entry for the same domain; otherwise
        # the first family keeps it (a stalkerware family before a dual-use one, by load order).
        if existing is None or (existing[1] == WEB and role == C2):
            self.domains[value] = (index, role)
        return True

    def add_ip(self, value: str, index: int) -> bool:
        value = value.strip()
        if not _IPV4.match(value) or any(int(part) > 255 for part in value.split(".")):
            return False
        self._keep(self.ips, value, index)
        return True

    def _keep(self, table: dict[str, int], value: str, index: int) -> None:
        # Stalkerware outranks watchware and dual-use when two lists name the same thing.
        current = table.get(value)
        if current is None or (self.families[current].kind != STALKERWARE
                               and self.families[index].kind == STALKERWARE):
            table[value] = index

    def merge(self, other: Indicators) -> None:
        """Adds other's families and indicators (this set keeps its own name and version)."""
        shift = len(self.families)
        self.families.extend(other.families)
        for package, index in other.packages.items():
            self._keep(self.packages, package, index + shift)
        for cert, index in other.certificates.items():
            self._keep(self.certificates, cert, index + shift)
        for digest, index in other.file_hashes.items():
            self._keep(self.file_hashes, digest, index + shift)
        for domain, (index, role) in other.domains.items():
            self.add_domain(domain, index + shift, role)
        for ip, index in other.ips.items():
            self._keep(self.ips, ip, index + shift)

    # Stored form ------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "families": [[f.name, f.kind, f.source] for f in self.families],
            "packages": self.packages, "certificates": self.certificates,
            "file_hashes": self.file_hashes,
            "domains": {d: [i, role] for d, (i, role) in self.domains.items()},
            "ips": self.ips,
        }

    @classmethod
    def from_json(cls, data: Any, *, name: str, version: str, date: str, source: str,
                  attribution: str) -> Indicators:
        """The stored form back; anything malformed in it is left out, never raised."""
        result = cls(name=name, version=version, date=date, source=source,
                     attribution=attribution)
        if not isinstance(data, dict):
            return result
        for entry in data.get("families") or []:
            if isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str)
                                                                    for x in entry):
                result.add_family(entry[0], entry[1], entry[2])
        count = len(result.families)

        def rows(key: str) -> Iterable[tuple[str, Any]]:
            table = data.get(key)
            return table.items() if isinstance(table, dict) else ()

        for package, index in rows("packages"):
            if isinstance(index, int) and 0 <= index < count:
                result.add_package(package, index)
        for cert, index in rows("certificates"):
            if isinstance(index, int) and 0 <= index < count:
                result.add_certificate(cert, index)
        for digest, index in rows("file_hashes"):
            if isinstance(index, int) and 0 <= index < count:
                result.add_file_hash(digest, index)
        for domain, pair in rows("domains"):
            if (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int)
                    and 0 <= pair[0] < count and pair[1] in (C2, WEB)):
                result.add_domain(domain, pair[0], pair[1])
        for ip, index in rows("ips"):
            if isinstance(index, int) and 0 <= index < count:
                result.add_ip(ip, index)
        return result


# Echap's YAML ----------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def read_echap_yaml(data: bytes, into: Indicators, *, default_kind: str = STALKERWARE,
                    label: str = "file") -> list[str]:
    """Adds the families of one Echap YAML file (ioc.yaml, watchware.yaml) to `into`.

    Read with YAML's base loader, as Echap's own scripts do: every value stays a string, so a
    certificate of digits is never turned into a number."""
    problems: list[str] = []
    if len(data) > MAX_INDICATOR_BYTES:
        return [f"{label}: larger than {MAX_INDICATOR_BYTES // 2**20} MB, not read"]
    try:
        entries = yaml.load(data, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return [f"{label}: not valid YAML{where}"]
    except (ValueError, RecursionError):
        return [f"{label}: not valid YAML"]
    if not isinstance(entries, list):
        return [f"{label}: expected a list of apps, as in Echap's ioc.yaml"]
    skipped = 0
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(f"{label}: entry {number} has no name, left out")
            continue
        kind = entry["type"] if entry.get("type") in KINDS else default_kind
        index = into.add_family(entry["name"].strip(), kind)
        for alias in _strings(entry.get("names")):
            into.names.setdefault(alias.strip().lower(), index)
        for package in _strings(entry.get("packages")):
            skipped += not into.add_package(package, index)
        for cert in _strings(entry.get("certificates")):
            skipped += not into.add_certificate(cert, index)
        for digest in _strings(entry.get("sha256")):
            skipped += not into.add_file_hash(digest, index)
        for key in ("websites", "distribution"):
            for domain in _strings(entry.get(key)):
                skipped += not into.add_domain(domain, index, WEB)
        c2 = entry.get("c2")
        if isinstance(c2, dict):
            for domain in _strings(c2.get("domains")):
                skipped += not into.add_domain(domain, index, C2)
            # One entry of Echap's file says `ip` for `ips`.
            for ip in _strings(c2.get("ips")) + _strings(c2.get("ip")):
                skipped += not into.add_ip(ip, index)
    if skipped:
        problems.append(f"{label}: {skipped} values were not package names, certificates, "
                        "domains or addresses, left out")
    return problems


def read_echap_samples(data: bytes, into: Indicators, *, label: str = "samples.csv"
                       ) -> list[str]:
    """Adds the APK samples of Echap's samples.csv (SHA256, Package Name, Certificate, Version,
    App) to the families already read, matched on the family's name or one of its aliases: an
    APK's SHA-256 (which AndroidQF gives) makes a match certain."""
    if len(data) > MAX_INDICATOR_BYTES:
        return [f"{label}: larger than {MAX_INDICATOR_BYTES // 2**20} MB, not read"]
    text = data.decode("utf-8-sig", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return [f"{label}: not a CSV file"]
    if not rows or [cell.strip().lower() for cell in rows[0][:5]] != [
            "sha256", "package name", "certificate", "version", "app"]:
        return [f"{label}: expected Echap's samples.csv (SHA256,Package Name,Certificate,"
                "Version,App)"]
    unknown = skipped = 0
    for row in rows[1:]:
        if len(row) < 5:
            skipped += 1
            continue
        index = into.names.get(row[4].strip().lower())
        if index is None:
            unknown += 1
            continue
        # Only the APK's hash, as Echap's own generator does: package names and certificates
        # come from ioc.yaml, which Echap curates (a sample may be signed with a shared key).
        skipped += not into.add_file_hash(row[0], index)
    problems = []
    if unknown:
        problems.append(f"{label}: {unknown} samples name no family read before them, left out "
                        "(load ioc.yaml first)")
    if skipped:
        problems.append(f"{label}: {skipped} rows were not samples, left out")
    return problems


def looks_like_samples(data: bytes) -> bool:
    return data[:64].lstrip(b"\xef\xbb\xbf").lower().startswith(b"sha256,package name")


# STIX 2.1 --------------------------------------------------------------------------------------


def read_stix_bundle(data: bytes, into: Indicators, *, label: str = "file") -> list[str]:
    """Adds the malware families and indicators of a STIX 2.1 bundle, as Echap generates it
    (generated/stalkerware.stix2): `malware` objects, `indicator` objects whose pattern is one
    comparison such as [app:id='com.example'], [domain-name:value='example.com'],
    [app:cert.sha1='...'] or [file:hashes.sha256='...'], and `relationship` objects
    (indicator "indicates" malware). Read with the standard library's JSON parser."""
    if len(data) > MAX_INDICATOR_BYTES:
        return [f"{label}: larger than {MAX_INDICATOR_BYTES // 2**20} MB, not read"]
    try:
        bundle = json.loads(data)
    except (ValueError, RecursionError):
        return [f"{label}: not valid JSON"]
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        return [f"{label}: expected a STIX 2.1 bundle (an object with type \"bundle\")"]
    objects = bundle.get("objects")
    if not isinstance(objects, list):
        return [f"{label}: the bundle has no list of objects"]
    malware: dict[str, int] = {}
    patterns: dict[str, str] = {}
    links: dict[str, str] = {}
    for obj in objects:
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            continue
        kind = obj.get("type")
        if kind == "malware" and isinstance(obj.get("name"), str):
            words = " ".join(_strings(obj.get("malware_types")) + _strings(obj.get("labels"))
                             + [str(obj.get("description") or "")]).lower()
            family_kind = WATCHWARE if "watchware" in words else STALKERWARE
            malware[obj["id"]] = into.add_family(obj["name"].strip(), family_kind)
        elif kind == "indicator" and isinstance(obj.get("pattern"), str):
            if obj.get("pattern_type", "stix") == "stix":
                patterns[obj["id"]] = obj["pattern"]
        elif (kind == "relationship" and obj.get("relationship_type") == "indicates"
              and isinstance(obj.get("source_ref"), str)
              and isinstance(obj.get("target_ref"), str)):
            links[obj["source_ref"]] = obj["target_ref"]
    unlinked = unknown = 0
    for indicator_id, pattern in patterns.items():
        index = malware.get(links.get(indicator_id, ""))
        if index is None:
            unlinked += 1
            continue
        for match in _STIX.finditer(pattern):
            what = f"{match['object']}:{match['path'].replace(chr(39), '').lower()}"
            value = match["value"].replace("\\'", "'").replace("\\\\", "\\")
            if what == "app:id":
                added = into.add_package(value, index)
            elif what in ("domain-name:value", "url:value"):
                added = into.add_domain(value.split("//")[-1].split("/")[0], index, C2)
            elif what in ("ipv4-addr:value",):
                added = into.add_ip(value, index)
            elif what.startswith("app:cert") or what == "x509-certificate:hashes.sha-1":
                # Echap's older bundles said cert.md5 for what are SHA-1 values.
                added = into.add_certificate(value, index)
            elif what in ("file:hashes.sha256", "file:hashes.sha-256"):
                added = into.add_file_hash(value, index)
            else:
                added = False
            unknown += not added
    problems = []
    if unlinked:
        problems.append(f"{label}: {unlinked} indicators point at no malware family, left out")
    if unknown:
        problems.append(f"{label}: {unknown} patterns were not understood, left out")
    return problems


def looks_like_stix(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"bundle"' in head


# The shipped copy ------------------------------------------------------------------------------


def read_dual_use(into: Indicators, path: Path | None = None) -> list[str]:
    """The dual-use list written for Safelight (data/dual_use.yaml): name, packages, source."""
    path = path or DATA / "dual_use.yaml"
    try:
        entries = yaml.load(path.read_bytes(), Loader=getattr(yaml, "CBaseLoader",  # noqa: S506
                                                               yaml.BaseLoader))
    except (OSError, yaml.YAMLError) as exc:
        return [f"{path.name}: {exc}"]
    problems = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(f"{path.name}: an entry has no name, left out")
            continue
        index = into.add_family(entry["name"], DUAL_USE, str(entry.get("source") or ""))
        for package in _strings(entry.get("packages")):
            into.add_package(package, index)
        for cert in _strings(entry.get("certificates")):
            into.add_certificate(cert, index)
        for domain in _strings(entry.get("domains")):
            into.add_domain(domain, index, C2)
    return problems


def shipped_metadata() -> dict[str, str]:
    try:
        meta = json.loads((ECHAP / "version.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    return {
        "name": str(meta.get("name") or "Echap stalkerware-indicators"),
        "version": str(meta.get("version") or "unknown"),
        "date": str(meta.get("date") or ""),
        "source": str(meta.get("source") or ""),
        "attribution": str(meta.get("attribution") or ECHAP_ATTRIBUTION),
    }


def load_shipped() -> Indicators:
    """Echap's ioc.yaml, watchware.yaml and samples.csv as shipped, without the dual-use
    list."""
    meta = shipped_metadata()
    result = Indicators(name=meta["name"], version=meta["version"], date=meta["date"],
                        source=meta["source"], attribution=meta["attribution"])
    read_echap_yaml((ECHAP / "ioc.yaml").read_bytes(), result, label="ioc.yaml")
    read_echap_yaml((ECHAP / "watchware.yaml").read_bytes(), result, default_kind=WATCHWARE,
                    label="watchware.yaml")
    read_echap_samples((ECHAP / "samples.csv").read_bytes(), result)
    return result


@lru_cache(maxsize=1)
def shipped() -> Indicators:
    """The shipped copy with the dual-use list, read once per process."""
    result = load_shipped()
    read_dual_use(result)
    return result


def with_dual_use(indicators: Indicators) -> Indicators:
    read_dual_use(indicators)
    return indicators
