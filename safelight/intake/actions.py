"""Every write of the reporter side: drafts, files, submitting, messages. Atomic, audited."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from safelight.audit.actions import record
from safelight.crypto import (
    derive_receipt_keys,
    generate_key,
    generate_receipt,
)
from safelight.intake.drafts import PURPOSE as DRAFT
from safelight.intake.drafts import OpenDraft
from safelight.intake.files import PreparedFile
from safelight.intake.models import Draft, DraftFile
from safelight.intake.questions import answered_entries
from safelight.intake.submission import submission_steps
from safelight.notification_tasks import (
    notify_new_message_task,
    notify_new_report_task,
)
from safelight.reports import storage
from safelight.reports.access import readers
from safelight.reports.actions import attach, seal_to_readers, send_message
from safelight.reports.models import (
    Channel,
    Message,
    Report,
    Status,
)
from safelight.reports.sealing import REPORT, b64, open_json, seal_answers, seal_json
from safelight.tasks import enqueue_on_commit

DRAFT_LIFETIME = datetime.timedelta(hours=24)


class NoOneCanRead(Exception):
    """Every recipient of the channel was excluded (or none can receive reports yet)."""


class DraftGone(Exception):
    """The draft was sent (say from another tab), discarded or expired meanwhile."""


# Drafts ---------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, channel: Channel) -> tuple[Draft, bytes]:
    purge_expired_drafts()
    now = timezone.now()
    key = generate_key()
    draft = Draft(channel=channel, created_at=now, expires_at=now + DRAFT_LIFETIME)
    draft.data = seal_json(key, {}, purpose=DRAFT, object_id=draft.pk, field="answers")
    draft.save()
    return draft, key


@transaction.atomic
def save_draft_answers(*, draft: OpenDraft, answers: dict[str, Any]) -> None:
    row = draft.draft
    row.data = seal_json(draft.key, answers, purpose=DRAFT, object_id=row.pk, field="answers")
    row.expires_at = timezone.now() + DRAFT_LIFETIME
    row.save(update_fields=["data", "expires_at"])
    draft.answers = answers


@transaction.atomic
def add_draft_file(*, draft: OpenDraft, prepared: PreparedFile) -> None:
    row = DraftFile(draft=draft.draft, added_at=timezone.now(), storage_name=prepared.storage_name,
                    size=prepared.size)
    row.sealed_key = seal_json(
        draft.key, b64(prepared.key), purpose=DRAFT, object_id=row.pk, field="key"
    )
    details = {k: prepared.details[k] for k in ("name", "kind", "content_type", "question",
                                                 "removed", "kept", "warning")}
    row.sealed_details = seal_json(
        draft.key, details, purpose=DRAFT, object_id=row.pk, field="details"
    )
    try:
        row.save()
    except BaseException:
        prepared.drop()
        raise
    prepared.keep()


@transaction.atomic
def remove_draft_file(*, draft: OpenDraft, file_id: uuid.UUID) -> None:
    """Remove one of the draft's files. The id was checked by the view's form
    (safelight.intake.forms.RemoveFilesForm); an id the draft does not hold is ignored (removed
    already, say in another tab)."""
    row = draft.draft.files.filter(pk=file_id).first()
    if row is None:
        return
    name = row.storage_name
    row.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def discard_draft(*, draft: Draft) -> None:
    names = list(draft.files.values_list("storage_name", flat=True))
    draft.delete()
    _delete_stored_on_commit(names)


def _delete_stored_on_commit(names: Sequence[str]) -> None:
    """Remove these stored files once the transaction commits (never, if it rolls back)."""
    def delete() -> None:
        for name in names:
            storage.delete(name)
    transaction.on_commit(delete)


def purge_expired_drafts() -> int:
    expired = Draft.objects.filter(expires_at__lte=timezone.now())
    count = 0
    for draft in expired:
        discard_draft(draft=draft)
        count += 1
    return count


# Submitting -----------------------------------------------------------------------------------


def submit_report(*, draft: OpenDraft) -> tuple[Report, str]:
    """Seal the draft into a report; return it and the receipt, which is never stored.

    The report key is sealed to every reader's public key and to the key the receipt derives;
    identity details get a key of their own, sealed only to readers allowed to see them.
    """
    if not readers(draft.channel, draft.answers):
        raise NoOneCanRead
    # Argon2id (about 0.1 s) runs before the transaction: on SQLite a transaction holds the
    # database's write lock from its start, and every other writer would wait for it.
    receipt = generate_receipt()
    receipt_keys = derive_receipt_keys(receipt, settings.SAFELIGHT_RECEIPT_PEPPER)
    return _store_report(draft, receipt_keys), receipt


@transaction.atomic
def _store_report(draft: OpenDraft, receipt_keys) -> Report:
    if not Draft.objects.select_for_update().filter(pk=draft.draft.pk).exists():
        raise DraftGone  # sent twice at once: only the first one counts
    channel = draft.channel
    answers = draft.answers
    reading = readers(channel, answers)
    if not reading:
        raise NoOneCanRead
    # The other apps' steps (safelight.intake.submission), in the order settings give them:
    # one may hold the report from its readers, or refuse it before anything is stored.
    steps = submission_steps()
    holding = [step.holds(channel=channel, answers=answers) for step in steps]
    for step, step_held in zip(steps, holding, strict=True):
        step.check(channel=channel, answers=answers, held=step_held)
    held = any(holding)
    now = timezone.now()
    acknowledge_by = now + datetime.timedelta(days=channel.acknowledge_days)
    report = Report(
        channel=channel,
        status=Status.HELD if held else Status.NEW,
        submitted_at=now,
        acknowledge_by=acknowledge_by,
        feedback_by=acknowledge_by + datetime.timedelta(days=channel.feedback_days),
        lookup_id=receipt_keys.lookup_id,
    )
    report.set_next_deadline()
    questionnaire = channel.questionnaire
    report_key = generate_key()
    # The page's language is sealed with the answers: the case shows it to the handler and the
    # reporter's follow-up page speaks it. It is never stored in clear.
    report.answers = seal_answers(
        report_key,
        answered_entries(questionnaire, answers, channel, identity=False),
        language=page_language(), object_id=report.pk,
    )
    identity = answered_entries(questionnaire, answers, channel, identity=True)
    identity_key = generate_key() if identity else None
    if identity_key is not None:
        report.identity = seal_json(
            identity_key, identity, purpose=REPORT, object_id=report.pk, field="identity"
        )
    report.reporter_keys = seal_json(
        receipt_keys.reporter_key,
        {"report": b64(report_key), "identity": b64(identity_key) if identity_key else None},
        purpose="receipt", object_id=report.pk, field="keys",
    )
    report.save()
    if not held:
        seal_to_readers(report, reading, report_key=report_key, identity_key=identity_key)
    for step, step_held in zip(steps, holding, strict=True):
        step.stored(report=report, report_key=report_key, identity_key=identity_key,
                    answers=answers, held=step_held)
    for row in draft.draft.files.all():
        file_key = open_json(draft.key, bytes(row.sealed_key), purpose=DRAFT, object_id=row.pk,
                             field="key")
        details = open_json(draft.key, bytes(row.sealed_details), purpose=DRAFT, object_id=row.pk,
                            field="details")
        attach(report, report_key, storage_name=row.storage_name, size=row.size,
                file_key_b64=file_key, details=details, added_at=row.added_at)
    draft.draft.files.all().delete()
    draft.draft.delete()
    record(action="report.submit", organisation=channel.organisation, target=report)
    if not held:
        enqueue_on_commit(notify_new_report_task, str(report.pk))
    return report


def page_language() -> str | None:
    """The language the reporter's pages are in now, as a code of settings.LANGUAGES."""
    code = translation.get_language()
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


# Messages -------------------------------------------------------------------------------------


def send_reporter_message(*, report: Report, report_key: bytes, body: str,
                          files: Iterable[PreparedFile] = ()) -> Message:
    """The reporter's message on the follow-up page; its readers get a notice without content."""
    message = send_message(report=report, report_key=report_key, body=body, files=files)
    enqueue_on_commit(notify_new_message_task, str(message.pk))
    return message


# Housekeeping ---------------------------------------------------------------------------------


@transaction.atomic
def remove_orphaned_files(*, now: datetime.datetime | None = None) -> int:
    """Remove stored files that no row references and that are older than the longest upload
    (storage.ORPHAN_AGE): what a killed worker or a timeout left half-written. The audit event
    holds the count only, never a name."""
    names = storage.orphaned_names(now=now or timezone.now())
    if names:
        record(action="storage.orphans_removed", count=len(names))
    _delete_stored_on_commit(names)
    return len(names)
