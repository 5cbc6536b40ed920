"""HSDS as a tabular data package: CSV tables and datapackage.json, in a zip.

Export flattens the service objects of safelight.referrals.hsds into HSDS 3.0 tables (only the
columns Safelight fills). Import rebuilds service objects from the tables and hands them to the
same reader as JSON: the related tables are indexed by service id (they are small), then
services.csv is read row by row. Limits guard against oversized and "zip bomb" files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from safelight.referrals.hsds import InvalidFile, service_to_hsds
from safelight.referrals.models import Service

MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 100

# resource name -> (file name, columns), in the order of HSDS's datapackage.json.
TABLES: dict[str, tuple[str, list[str]]] = {
    "organization": ("organizations.csv", ["id", "name", "description", "email", "website"]),
    "service": ("services.csv", [
        "id", "organization_id", "name", "description", "url", "email", "status",
        "fees_description", "eligibility_description", "assured_date",
    ]),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id"]),
    "location": ("locations.csv", ["id", "location_type", "name"]),
    "phone": ("phones.csv", ["id", "service_id", "number", "type", "description"]),
    "schedule": ("schedules.csv", [
        "id", "service_id", "byday", "description", "opens_at", "closes_at", "notes",
    ]),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "description"]),
    "language": ("languages.csv", ["id", "service_id", "name", "code"]),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description", "details"]),
    "attribute": ("attributes.csv", [
        "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
    ]),
    "taxonomy_term": ("taxonomy_terms.csv", [
        "id", "code", "name", "description", "taxonomy", "language", "taxonomy_id",
    ]),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description"]),
    "url": ("url.csv", ["id", "label", "url", "service_id"]),
}
# Other names that publishers (and earlier HSDS versions) use for the same tables.
ALIASES = {
    "service_at_locations.csv": "service_at_location", "services_at_location.csv":
    "service_at_location", "urls.csv": "url", "accessibility_for_disabilities.csv":
    "accessibility", "taxonomy.csv": "taxonomy", "service_attributes.csv": "attribute",
}
DATE_COLUMNS = {"assured_date"}
_UNPACK_ERRORS = (
    zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError, EOFError,
)


# Export ----------------------------------------------------------------------------------------


def zip_bytes(services: Iterable[Service]) -> bytes:
    tables = _flatten(service_to_hsds(service) for service in services)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(_descriptor(), indent=2))
        for resource, (path, columns) in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(tables[resource])
            archive.writestr(path, text.getvalue())
    return buffer.getvalue()


def _flatten(items: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()

    def add(resource: str, row: dict[str, Any]) -> None:
        key = (resource, row["id"])
        if key not in seen:
            seen.add(key)
            columns = TABLES[resource][1]
            tables[resource].append({c: row.get(c, "") for c in columns})

    for item in items:
        sid = item["id"]
        add("organization", item["organization"])
        add("service", {**item, "organization_id": item["organization"]["id"]})
        for phone in item.get("phones", []):
            add("phone", {**phone, "service_id": sid})
        for url in item.get("additional_urls", []):
            add("url", {**url, "service_id": sid})
        for schedule in item.get("schedules", []):
            add("schedule", {**schedule, "service_id": sid})
        for area in item.get("service_areas", []):
            add("service_area", {**area, "service_id": sid})
        for language in item.get("languages", []):
            add("language", {**language, "service_id": sid})
        for place in item.get("service_at_locations", []):
            location = place["location"]
            add("service_at_location",
                {"id": place["id"], "service_id": sid, "location_id": location["id"]})
            add("location", location)
            for entry in location.get("accessibility", []):
                add("accessibility", {**entry, "location_id": location["id"]})
        for attribute in item.get("attributes", []):
            term = attribute["taxonomy_term"]
            add("attribute", attribute)
            add("taxonomy_term", term)
            add("taxonomy", term["taxonomy_detail"])
    return tables


def _descriptor() -> dict[str, Any]:
    return {
        "name": "safelight-referrals",
        "title": "Safelight referrals directory (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": resource,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "primaryKey": "id",
                    "fields": [
                        {"name": c, "type": "date" if c in DATE_COLUMNS else "string"}
                        for c in columns
                    ],
                },
            }
            for resource, (path, columns) in TABLES.items()
        ],
    }


# Import ----------------------------------------------------------------------------------------


def read_items(file: IO[bytes]) -> Iterator[tuple[str, object]]:
    """(reference, service object) for each row of services.csv. Raises InvalidFile."""
    archive = _open(file)
    with archive:
        members = _members(archive)
        tables = {name: _index(archive, members.get(name)) for name in TABLES if name != "service"}
        services = members.get("service")
        if services is None:
            raise InvalidFile(_("the zip has no services.csv"))
        for number, row in _rows(archive, services):
            sid = row.get("id", "")
            hint = " " + _("(id %(id)s)") % {"id": sid[:60]} if sid else ""
            ref = _("%(file)s row %(number)d") % {"file": services.filename, "number": number}
            yield ref + hint, _service(row, tables)


def _open(file: IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidFile(_("not a zip file of HSDS CSV tables")) from None


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = [i for i in archive.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
    if len(infos) > MAX_MEMBERS:
        raise InvalidFile(_("the zip holds more than %(count)d files") % {"count": MAX_MEMBERS})
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise InvalidFile(_("the zip unpacks to more than %(mb)d MB")
                          % {"mb": MAX_TOTAL_BYTES // 2**20})
    by_name = {PurePosixPath(i.filename).name.lower(): i for i in infos}
    paths = {path: resource for resource, (path, _columns) in TABLES.items()} | ALIASES
    descriptor = by_name.get("datapackage.json")
    if descriptor is not None:
        paths |= _descriptor_paths(archive, descriptor)
    members: dict[str, zipfile.ZipInfo] = {}
    for name, info in by_name.items():
        resource = paths.get(name)
        if resource is not None and resource not in members:
            members[resource] = info
    return members


def _descriptor_paths(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, str]:
    """File name -> resource, from the package's own datapackage.json (when it is usable)."""
    try:
        descriptor = json.loads(_read(archive, info).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidFile(_("datapackage.json is not valid JSON")) from None
    found = {}
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("name") in TABLES:
            path = resource.get("path")
            if isinstance(path, str):
                found[PurePosixPath(path).name.lower()] = resource["name"]
    return found


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise InvalidFile(_("%(file)s is larger than %(mb)d MB")
                          % {"file": info.filename, "mb": MAX_MEMBER_BYTES // 2**20})
    try:
        return archive.read(info)  # never more than the declared size, which was checked
    except _UNPACK_ERRORS as exc:
        raise InvalidFile(_("%(file)s cannot be unpacked (%(error)s)")
                          % {"file": info.filename, "error": exc}) from None


def _rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[tuple[int, dict]]:
    """The table's rows, read as a stream: (line number, {column: value})."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise InvalidFile(_("%(file)s is larger than %(mb)d MB")
                          % {"file": info.filename, "mb": MAX_MEMBER_BYTES // 2**20})
    reader = None
    try:
        with archive.open(info) as raw:  # never yields more than the declared, checked size
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            if reader.fieldnames is None:
                return
            reader.fieldnames = [name.strip() for name in reader.fieldnames]
            for row in reader:
                yield reader.line_num, {
                    k: v.strip() for k, v in row.items()
                    if isinstance(k, str) and isinstance(v, str)
                }
    except UnicodeDecodeError:
        raise InvalidFile(_("%(file)s is not UTF-8 text") % {"file": info.filename}) from None
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        raise InvalidFile(_("%(file)s is not valid CSV (line %(line)d: %(error)s)") % {
            "file": info.filename, "line": line, "error": exc,
        }) from None
    except _UNPACK_ERRORS as exc:
        raise InvalidFile(_("%(file)s cannot be unpacked (%(error)s)")
                          % {"file": info.filename, "error": exc}) from None


def _index(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> dict[str, list[dict]]:
    """A related table's rows by the id that links them: service, location, term or own id."""
    index: dict[str, list[dict]] = defaultdict(list)
    if info is None:
        return index
    for _number, row in _rows(archive, info):
        for key in ("service_id", "link_id", "location_id"):
            if row.get(key):
                index[f"{key}:{row[key]}"].append(row)
        if row.get("id"):
            index[f"id:{row['id']}"].append(row)
    return index


def _service(row: dict, tables: dict[str, dict[str, list[dict]]]) -> dict[str, Any]:
    """The nested HSDS service object that these rows describe."""
    sid = row.get("id", "")
    item: dict[str, Any] = {k: v for k, v in row.items() if v != ""}

    def related(resource: str, key: str, value: str) -> list[dict]:
        return tables[resource].get(f"{key}:{value}", []) if value else []

    organizations = related("organization", "id", row.get("organization_id", ""))
    if organizations:
        item["organization"] = organizations[0]
    item["phones"] = related("phone", "service_id", sid)
    item["additional_urls"] = related("url", "service_id", sid)
    item["schedules"] = related("schedule", "service_id", sid)
    item["service_areas"] = related("service_area", "service_id", sid)
    item["languages"] = related("language", "service_id", sid)
    item["service_at_locations"] = [
        {**place, "location": {
            "id": place.get("location_id", ""),
            "accessibility": related("accessibility", "location_id", place.get("location_id", "")),
        }}
        for place in related("service_at_location", "service_id", sid)
    ]
    attributes = []
    for attribute in related("attribute", "link_id", sid):
        if attribute.get("link_entity", "service") not in ("", "service"):
            continue
        terms = related("taxonomy_term", "id", attribute.get("taxonomy_term_id", ""))
        term = dict(terms[0]) if terms else None
        if term is not None:
            taxonomies = related("taxonomy", "id", term.get("taxonomy_id", ""))
            if taxonomies:
                term["taxonomy_detail"] = taxonomies[0]
        attributes.append({**attribute, "taxonomy_term": term})
    item["attributes"] = attributes
    return item
