"""Writes every app shares on a report: sealing its key to readers, messages and their files,
status changes. Atomic and audited, like every action."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.accounts.access import awaiting_reset_confirmation
from safelight.accounts.models import Handler
from safelight.audit.actions import record
from safelight.crypto import seal_to
from safelight.reports.models import Attachment, Message, Recipient, Report, ReportKey, Status
from safelight.reports.sealing import REPORT, b64, seal_json


class NewFile(Protocol):
    """A checked, encrypted upload waiting for its row (safelight.intake.files.PreparedFile)."""

    storage_name: str
    key: bytes
    size: int
    details: dict[str, Any]

    def keep(self) -> None: ...

    def drop(self) -> None: ...


def seal_to_readers(report: Report, reading: Sequence[Recipient], *, report_key: bytes,
                    identity_key: bytes | None) -> None:
    """Seal the report key to each reader, and the identity key to those who may see it. A
    reader whose account reset waits for their confirmation gets nothing, whoever chose them."""
    rows = []
    resetting = awaiting_reset_confirmation(r.handler_id for r in reading)
    for recipient in reading:
        if recipient.handler_id in resetting:
            continue
        public_key = recipient.handler.sealing_key()
        rows.append(ReportKey(
            report=report,
            handler=recipient.handler,
            sealed_report_key=seal_to(public_key, report_key),
            sealed_identity_key=(
                seal_to(public_key, identity_key)
                if identity_key is not None and recipient.sees_identity
                else None
            ),
        ))
    ReportKey.objects.bulk_create(rows)


def attach(report: Report, report_key: bytes, *, storage_name: str, size: int, file_key_b64: str,
           details: dict[str, Any], added_at: datetime.datetime,
           message: Message | None = None) -> Attachment:
    attachment = Attachment(report=report, message=message, added_at=added_at,
                            storage_name=storage_name, size=size)
    attachment.sealed_key = seal_json(report_key, file_key_b64, purpose=REPORT,
                                      object_id=attachment.pk, field="file-key")
    attachment.sealed_details = seal_json(report_key, details, purpose=REPORT,
                                          object_id=attachment.pk, field="file-details")
    attachment.save()
    return attachment


@transaction.atomic
def send_message(
    *, report: Report, report_key: bytes, body: str, files: Iterable[NewFile] = (),
    author: Handler | None = None, gives_feedback: bool = False,
) -> Message:
    """A message in the report's conversation: from the reporter (author None) or a handler.

    A handler's first reply acknowledges the report; only a reply that `gives_feedback` (on
    what was done or will be done) meets the first-feedback deadline.
    """
    files = list(files)
    now = timezone.now()
    message = Message(report=report, sent_at=now, author=author,
                      gives_feedback=gives_feedback and author is not None)
    message.body = seal_json(report_key, body, purpose=REPORT, object_id=message.pk,
                             field="message")
    try:
        message.save()
        for prepared in files:
            attach(report, report_key, storage_name=prepared.storage_name, size=prepared.size,
                   file_key_b64=b64(prepared.key), details=prepared.details, added_at=now,
                   message=message)
    except BaseException:
        for prepared in files:
            prepared.drop()
        raise
    for prepared in files:
        prepared.keep()
    if author is None:
        # The reporter side tells the readers (safelight.intake.actions.send_reporter_message).
        record(action="report.message.reporter", organisation=report.channel.organisation,
               target=message)
    else:
        changed = []
        if report.acknowledged_at is None:
            changed += _acknowledge(report, now)
        if report.feedback_at is None and message.gives_feedback:
            report.feedback_at = now
            changed.append("feedback_at")
        if changed:
            report.set_next_deadline()
            report.save(update_fields=[*changed, "next_deadline"])
        record(action="report.reply", actor=author.user, organisation=report.channel.organisation,
               target=message)
    return message

def _acknowledge(report: Report, now: datetime.datetime) -> list[str]:
    """The first reply acknowledges the report: the only act that meets that deadline.

    A case a handler already moved on (in progress, or closed with this closing message) keeps
    its status; only a new one becomes "acknowledged".
    """
    if report.status == Status.NEW:
        report.status = Status.ACKNOWLEDGED
    report.acknowledged_at = now
    report.feedback_by = now + datetime.timedelta(days=report.channel.feedback_days)
    return ["status", "acknowledged_at", "feedback_by"]


class NotAllowed(Exception):
    pass


# Closing needs an outcome and reopening cancels check-ins: both are case actions
# (safelight.cases.actions.close_case, reopen_case), not plain status changes.
# "Acknowledged" is no choice here: a deadline is met only by the act it names, so a report is
# acknowledged only by a reply the reporter reads (send_message), never by a status change.
NEXT_STATUSES = {
    Status.HELD: (),  # only a counsellor's release (safelight.escrow.actions) moves it on
    Status.NEW: (Status.IN_PROGRESS,),
    Status.ACKNOWLEDGED: (Status.IN_PROGRESS,),
    Status.IN_PROGRESS: (),
    Status.CLOSED: (),
}


@transaction.atomic
def change_status(*, report: Report, handler: Handler, status: str) -> None:
    if status not in NEXT_STATUSES[Status(report.status)]:
        raise NotAllowed(_("A report cannot go from this status to that one."))
    # Moving a case on tells the reporter nothing, so it meets no deadline: an unacknowledged
    # case still owes its acknowledgement (the first reply, send_message).
    report.status = status
    report.set_next_deadline()
    report.save(update_fields=["status", "next_deadline"])
    record(action=f"report.status.{status}", actor=handler.user,
           organisation=report.channel.organisation, target=report)


