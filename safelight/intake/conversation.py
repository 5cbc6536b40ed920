"""What both sides read of a report: its messages and files, and how its deadlines stand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from safelight.intake.filetypes.kinds import download_type
from safelight.intake.questions import display_name
from safelight.reports import storage
from safelight.reports.models import Attachment, Message, Report
from safelight.reports.sealing import REPORT, open_json, unb64


@dataclass
class FileView:
    id: str
    name: str
    kind: str
    size: int
    removed: list[str]
    kept: list[str]
    warning: list[str]
    from_reporter: bool


@dataclass
class MessageView:
    id: str
    sent_at: datetime.datetime
    from_reporter: bool
    author: Any
    body: str
    files: list[FileView] = field(default_factory=list)


def file_view(attachment: Attachment, report_key: bytes) -> FileView:
    details = open_json(report_key, bytes(attachment.sealed_details), purpose=REPORT,
                        object_id=attachment.pk, field="file-details")
    message = attachment.message  # None without a query when the file came with the report
    from_reporter = message is None or message.author_id is None
    return FileView(
        id=str(attachment.pk), name=details.get("name", ""), kind=details.get("kind", ""),
        size=attachment.size, removed=details.get("removed", []), kept=details.get("kept", []),
        warning=details.get("warning", []), from_reporter=from_reporter,
    )


def report_files(report: Report, report_key: bytes) -> list[FileView]:
    """The files sent with the report itself (not with a later message)."""
    return [file_view(a, report_key) for a in report.attachments.filter(message__isnull=True)]


def thread(report: Report, report_key: bytes, *, reporter_view: bool) -> list[MessageView]:
    messages = (
        Message.objects.filter(report=report)
        .select_related("author__user")
        .prefetch_related("attachments")
    )
    items = []
    for message in messages:
        body = open_json(report_key, bytes(message.body), purpose=REPORT, object_id=message.pk,
                         field="message")
        author = None
        if message.author is not None:
            author = display_name(message.author)  # reporters never see usernames
        items.append(MessageView(
            id=str(message.pk), sent_at=message.sent_at, from_reporter=message.from_reporter,
            author=author, body=body,
            files=[file_view(a, report_key) for a in message.attachments.all()],
        ))
    return items


@dataclass
class Deadline:
    name: str
    due: datetime.datetime
    done_at: datetime.datetime | None
    state: str  # "met", "late", "open", "overdue"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "met": _("met"),
    "late": _("met late"),
    "open": _("not yet due"),
    "overdue": _("overdue"),
}


def _state(due, done, now) -> str:
    if done is not None:
        return "met" if done <= due else "late"
    return "open" if now <= due else "overdue"


def deadlines(report: Report, now: datetime.datetime) -> list[Deadline]:
    return [
        Deadline(str(_("Acknowledge the report")), report.acknowledge_by, report.acknowledged_at,
                 _state(report.acknowledge_by, report.acknowledged_at, now)),
        Deadline(str(_("First feedback on what is being done")), report.feedback_by,
                 report.feedback_at, _state(report.feedback_by, report.feedback_at, now)),
    ]


def file_response(attachment: Attachment, report_key: bytes) -> StreamingHttpResponse:
    """The file decrypted as a stream, chunk by chunk, always as a download."""
    details = open_json(report_key, bytes(attachment.sealed_details), purpose=REPORT,
                        object_id=attachment.pk, field="file-details")
    file_key = unb64(open_json(report_key, bytes(attachment.sealed_key), purpose=REPORT,
                               object_id=attachment.pk, field="file-key"))
    response = StreamingHttpResponse(
        storage.iter_plaintext(attachment.storage_name, file_key),
        content_type=download_type(details.get("content_type")),
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=details.get("name") or "file"
    ) or "attachment"  # never None for an attachment
    response["X-Content-Type-Options"] = "nosniff"
    return response
