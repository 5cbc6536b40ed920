"""Assemble an evidence bundle from an open locker: the chosen incidents (every version and file)
and messages, each with its custody-log leaf and inclusion proof, and the PDF's content.

Everything the bundle needs from the database is read here, before the ZIP is written, so the
writer can stream on another thread without touching the database (export_views).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safelight.evidence import custody, reading
from safelight.evidence.bundle_content import (
    CATEGORIES,
    BundleContent,
    BundleItem,
    PdfContent,
    PdfIncident,
    PdfMessage,
    PdfTimelineEntry,
    TreeHead,
)
from safelight.evidence.ids import message_id, version_id
from safelight.evidence.importers import FORMATS
from safelight.evidence.importing import place
from safelight.evidence.models import MessageImport, MessagePage
from safelight.evidence.opened import OpenLocker

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The PDF lists every flagged message; of the others it lists this many per import (all of them
# are in the bundle's files and manifest either way). WeasyPrint's time grows with the rows.
PDF_UNFLAGGED_LIMIT = 500

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip("._") or "file"
    return cleaned[:80]


def _when(content: dict) -> str:
    def one(value: str) -> str:
        if not value:
            return ""
        if "T" in value:
            moment = datetime.datetime.fromisoformat(value)
            return date_format(moment, "DATETIME_FORMAT")
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")

    start, end = one(content.get("start", "")), one(content.get("end", ""))
    if start and end:
        return _("%(start)s to %(end)s") % {"start": start, "end": end}
    return start or _("Date not given")


def _leaf_item(opened: OpenLocker, *, kind: str, item_id: str, added_at: str, sha256: str,
               leaf_index: int, title: str, path: str,
               chunks: Callable[[], Iterable[bytes]]) -> BundleItem:
    leaf = custody.leaf_object(kind=kind, item_id=item_id, added_at=added_at, sha256=sha256,
                               salt=custody.salt_for(custody.salt_key(opened.key), item_id))
    return BundleItem(id=item_id, kind=kind, title=title, leaf=leaf, leaf_index=leaf_index,
                      inclusion_proof=[], path=path, chunks=chunks)


def _file_item(opened: OpenLocker, view: reading.FileView, folder: str, title: str) -> BundleItem:
    return _leaf_item(
        opened, kind=view.role, item_id=view.id, added_at=custody.iso(view.added_at),
        sha256=view.sha256, leaf_index=view.leaf_index, title=title,
        path=f"{folder}/{view.id[:8]}-{safe_name(view.name)}", chunks=view.chunks)


def _const(data: bytes) -> Callable[[], Iterable[bytes]]:
    return lambda: [data]


def build(opened: OpenLocker, *, incident_ids: Iterable[str], import_choices: dict[str, str],
          signing_public_key: bytes) -> BundleContent:
    """The bundle's content. `import_choices` maps an import id to "flagged", "all" or "none"."""
    items: list[BundleItem] = []
    chosen = set(incident_ids)
    pdf_incidents: list[PdfIncident] = []
    timeline: list[tuple[str, PdfTimelineEntry]] = []
    for incident in reading.incidents(opened, history=True):
        if incident.id not in chosen:
            continue
        content = incident.content
        title = content.get("title") or incident.kind_label or _("Incident")
        folder = f"items/incidents/{incident.id}"
        for version in incident.versions:
            vid = version_id(incident.id, version.number)
            items.append(_leaf_item(
                opened, kind="incident", item_id=vid,
                added_at=custody.iso(version.created_at),
                sha256=hashlib.sha256(version.raw).hexdigest(),
                leaf_index=version.leaf_index,
                title=_("Incident “%(title)s”, version %(number)s")
                % {"title": title, "number": version.number},
                path=f"{folder}/version-{version.number}.json", chunks=_const(version.raw)))
        for view in incident.files:
            items.append(_file_item(opened, view, f"{folder}/files",
                                    _("File “%(name)s” of incident “%(title)s”")
                                    % {"name": view.name, "title": title}))
        when = _when(content)
        pdf_incidents.append(PdfIncident(
            title=title, when=when, kind=incident.kind_label, platform=content.get("platform", ""),
            who=content.get("who", ""), what=content.get("what", ""),
            impact=content.get("impact", ""), notes=content.get("notes", ""),
            urls=[(u["url"], u["captured_at"]) for u in content.get("urls", [])],
            files=[(f.name, f.sha256) for f in incident.files], versions=incident.version,
            sha256=hashlib.sha256(incident.versions[-1].raw).hexdigest()))
        timeline.append((content.get("start") or incident.created_at.isoformat(),
                         PdfTimelineEntry(when=when, what=_("Incident: %(title)s")
                                          % {"title": title})))

    pdf_messages: list[PdfMessage] = []
    counts = dict.fromkeys(CATEGORIES, 0)
    for row in opened.locker.imports.order_by("created_at"):
        choice = import_choices.get(str(row.pk), "none")
        if choice == "none":
            continue
        imported = reading.import_view(opened, row)
        items_of_import, messages_of_import = _import_items(opened, row, imported, choice)
        items.extend(items_of_import)
        pdf_messages.extend(messages_of_import)
        for message in messages_of_import:
            for category in message.categories:
                counts[category] += 1
        summary = imported.summary
        label = _format_label(summary["format"])
        timeline.append((summary.get("first") or row.created_at.isoformat(),
                         PdfTimelineEntry(
                             when=_range(summary.get("first"), summary.get("last")),
                             what=_("%(count)s messages from %(source)s (%(file)s)")
                             % {"count": imported.messages, "source": label,
                                "file": summary.get("filename", "")})))

    head = custody.latest_head(opened.locker)
    if head is None:
        raise ValueError("the locker's log is empty")
    size, root, proofs = custody.proofs_at(opened.locker, [i.leaf_index for i in items],
                                           head.tree_size)
    if size != head.tree_size or root != bytes(head.root_hash):
        # The stored leaves no longer give the signed root: refuse rather than export a bundle
        # that would fail verification (someone changed the database).
        raise custody.LogDamaged(opened.locker.pk)
    for item in items:
        item.inclusion_proof = proofs[item.leaf_index]
    tree_head = TreeHead(log_id=str(opened.locker.pk), tree_size=head.tree_size,
                         root_hash=bytes(head.root_hash), timestamp_ms=head.timestamp_ms,
                         signature=bytes(head.signature))
    exported = timezone.now()
    timeline.sort(key=lambda pair: pair[0])
    pdf = PdfContent(
        locker_id=str(opened.locker.pk), exported_at=date_format(
            timezone.localtime(exported), "DATETIME_FORMAT"),
        tree_size=head.tree_size, root_hash=bytes(head.root_hash).hex(),
        public_key=signing_public_key.hex(), timeline=[entry for _key, entry in timeline],
        incidents=pdf_incidents, counts=counts, messages=pdf_messages,
        items=[(item.path, item.kind, item.leaf["sha256"]) for item in items])
    return BundleContent(locker_id=str(opened.locker.pk), exported_at=exported,
                         tree_head=tree_head, public_key=signing_public_key, items=items,
                         pdf=pdf)


def _format_label(name: str) -> StrOrPromise:
    """How an import's format is named ("WhatsApp"); the name itself if it is unknown."""
    return FORMATS[name][0] if name in FORMATS else name


def _range(first: str | None, last: str | None) -> str:
    def one(value: str) -> str:
        return date_format(datetime.datetime.fromisoformat(value), "DATE_FORMAT")

    if first and last and first[:10] != last[:10]:
        return _("%(start)s to %(end)s") % {"start": one(first), "end": one(last)}
    return one(first) if first else _("Dates not given")


def _import_items(opened: OpenLocker, row: MessageImport, view: reading.ImportView,
                  choice: str) -> tuple[list[BundleItem], list[PdfMessage]]:
    summary = view.summary
    flagged_numbers = sorted({n for numbers in summary["flagged"].values() for n in numbers})
    numbers = range(view.messages) if choice == "all" else flagged_numbers
    wanted_pages = sorted({n // MessagePage.PAGE_MESSAGES for n in numbers})
    pages = {p.number: p for p in
             MessagePage.objects.filter(message_import=row, number__in=wanted_pages)}
    items: list[BundleItem] = []
    pdf: list[PdfMessage] = []
    source = _format_label(summary["format"])
    folder = f"items/messages/{row.pk}"
    added = custody.iso(row.created_at)
    unflagged_in_pdf = 0
    for page_number in wanted_pages:
        records = reading.page_records(opened, pages[page_number])
        first_leaf = pages[page_number].first_leaf
        base = page_number * MessagePage.PAGE_MESSAGES
        for offset, record in enumerate(records):
            number = base + offset
            if choice != "all" and not record.get("f"):
                continue
            raw = reading.raw_bytes(record)
            items.append(_leaf_item(
                opened, kind="message", item_id=message_id(row.pk, number), added_at=added,
                sha256=record["h"], leaf_index=first_leaf + offset,
                title=_("Message %(number)s from %(sender)s")
                % {"number": number + 1, "sender": record["s"]},
                path=f"{folder}/{number + 1:07d}.txt", chunks=_const(raw)))
            flags = record.get("f", [])
            if flags or unflagged_in_pdf < PDF_UNFLAGGED_LIMIT:
                unflagged_in_pdf += 0 if flags else 1
                pdf.append(PdfMessage(
                    sent_at=_sent(record.get("t")), sender=record["s"], text=record["x"],
                    source=_("%(source)s, %(where)s") % {
                        "source": source, "where": place(record.get("ref", ""))},
                    categories=flags, sha256=record["h"]))
    if choice == "all":
        for file_row in row.files.order_by("added_at"):
            file_view = reading.file_view(opened, file_row)
            items.append(_file_item(opened, file_view, folder, _("Exported file “%(name)s”")
                                    % {"name": file_view.name}))
    return items, pdf


def _sent(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value)
    return date_format(moment, "DATETIME_FORMAT")
