"""Reading an open locker: incidents with their history, imports with their counts, messages by
page, files as streams. Used by the survivor's pages, the handler's pages and the bundle."""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from safelight.crypto import open_field
from safelight.evidence.ids import page_id, version_id
from safelight.evidence.models import EvidenceFile, Incident, MessageImport, MessagePage
from safelight.evidence.opened import PURPOSE, OpenLocker
from safelight.evidence.taxonomy import kind_label
from safelight.reports import storage
from safelight.reports.sealing import open_json, unb64


@dataclass
class FileView:
    id: str
    name: str
    content_type: str
    sha256: str
    size: int
    role: str
    added_at: datetime.datetime
    leaf_index: int
    storage_name: str
    key: bytes = field(repr=False)

    def chunks(self) -> Iterator[bytes]:
        return storage.iter_plaintext(self.storage_name, self.key)


@dataclass
class IncidentVersionView:
    number: int
    created_at: datetime.datetime
    content: dict[str, Any]
    raw: bytes  # the canonical JSON that was hashed into the log
    leaf_index: int
    kind_label: str = ""  # the kind's name, set where a page shows it (the handler's)


@dataclass
class IncidentView:
    id: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    content: dict[str, Any]
    files: list[FileView]
    versions: list[IncidentVersionView] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return kind_label(self.content.get("kind", "")) if self.content.get("kind") else ""


@dataclass
class ImportView:
    id: str
    created_at: datetime.datetime
    summary: dict[str, Any]

    @property
    def messages(self) -> int:
        return self.summary["messages"]

    @property
    def counts(self) -> dict[str, int]:
        return self.summary["counts"]

    @property
    def flagged_total(self) -> int:
        return len({n for numbers in self.summary["flagged"].values() for n in numbers})


def file_view(opened: OpenLocker, row: EvidenceFile) -> FileView:
    meta = open_json(opened.key, bytes(row.sealed_meta), purpose=PURPOSE, object_id=row.pk,
                     field="meta")
    return FileView(id=str(row.pk), name=meta["name"], content_type=meta["type"],
                    sha256=meta["sha256"], size=row.size, role=meta["role"],
                    added_at=row.added_at, leaf_index=row.leaf_index,
                    storage_name=row.storage_name, key=unb64(meta["key"]))


def _version(opened: OpenLocker, incident: Incident, row) -> IncidentVersionView:
    raw = open_field(opened.key, bytes(row.sealed_content), purpose=PURPOSE,
                     object_id=version_id(incident.pk, row.number), field="content")
    return IncidentVersionView(number=row.number, created_at=row.created_at,
                               content=json.loads(raw), raw=raw, leaf_index=row.leaf_index)


def incident_view(opened: OpenLocker, incident: Incident, *, history: bool = False) -> IncidentView:
    rows = list(incident.versions.all())
    versions = [_version(opened, incident, row) for row in (rows if history else rows[-1:])]
    files = [file_view(opened, f) for f in incident.files.order_by("added_at")]
    return IncidentView(id=str(incident.pk), created_at=incident.created_at,
                        updated_at=incident.updated_at, version=incident.version,
                        content=versions[-1].content, files=files, versions=versions)


def incidents(opened: OpenLocker, *, history: bool = False) -> list[IncidentView]:
    """Every incident, in the order they happened (those without a date last)."""
    views = [
        incident_view(opened, incident, history=history)
        for incident in opened.locker.incidents.prefetch_related("versions", "files")
    ]
    return sorted(views, key=lambda v: (v.content.get("start") or "9999", v.created_at))


def import_view(opened: OpenLocker, row: MessageImport) -> ImportView:
    summary = open_json(opened.key, bytes(row.sealed_summary), purpose=PURPOSE,
                        object_id=row.pk, field="summary")
    return ImportView(id=str(row.pk), created_at=row.created_at, summary=summary)


def imports(opened: OpenLocker) -> list[ImportView]:
    return [import_view(opened, row) for row in opened.locker.imports.order_by("created_at")]


def page_records(opened: OpenLocker, page: MessagePage) -> list[dict[str, Any]]:
    data = open_field(opened.key, bytes(page.sealed_messages), purpose=PURPOSE,
                      object_id=page_id(page.message_import_id, page.number), field="messages")
    return json.loads(zlib.decompress(data))


def messages(opened: OpenLocker, row: MessageImport, numbers: Iterable[int]) -> list[dict]:
    """The messages with these numbers, in the order asked, each with "n" (its number) and
    "leaf" (its leaf index) added."""
    wanted = list(numbers)
    by_page: dict[int, list[int]] = {}
    for number in wanted:
        by_page.setdefault(number // MessagePage.PAGE_MESSAGES, []).append(number)
    found: dict[int, dict] = {}
    pages = MessagePage.objects.filter(message_import=row, number__in=list(by_page))
    for page in pages:
        records = page_records(opened, page)
        for number in by_page[page.number]:
            offset = number - page.number * MessagePage.PAGE_MESSAGES
            if 0 <= offset < len(records):
                found[number] = {**records[offset], "n": number,
                                 "leaf": page.first_leaf + offset}
    return [found[n] for n in wanted if n in found]


def raw_bytes(record: dict) -> bytes:
    """A message's original bytes, as the export held them."""
    if "rb" in record:
        return bytes.fromhex(record["rb"])
    return record.get("r", record["x"]).encode("utf-8")
