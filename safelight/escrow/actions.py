"""Every write of the matching escrow: entries at sending, matches, withdrawal, release.

Entries are made inside the report's own transaction (safelight.intake.actions), so a report is
held with all its entries or not stored at all. A match is found by π alone; opening it needs a
counsellor's private key, and releasing puts the reports into the normal case flow.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record
from safelight.crypto import CryptoError, PrivateKey, escrow
from safelight.escrow import keyservices
from safelight.escrow.access import counsellor_keys, release_readers
from safelight.escrow.jobs import notify_escrow_match_task
from safelight.escrow.models import (
    EscrowEntry,
    EscrowMatch,
    EscrowShare,
    MatchState,
)
from safelight.notification_tasks import notify_new_report_task, notify_urgent_task
from safelight.reports import storage
from safelight.reports.actions import seal_to_readers
from safelight.reports.models import Priority, Report, Status
from safelight.reports.sealing import b64, unb64
from safelight.tasks import enqueue_on_commit


class EscrowUnavailable(Exception):
    """The organisation does not offer report together now (off, no key services or no
    counsellor with a key)."""


class NotHeld(Exception):
    """The report is no longer held (released, or withdrawn meanwhile)."""


# Entries --------------------------------------------------------------------------------------


def add_entries(*, report: Report, report_key: bytes, identity_key: bytes | None,
                identifiers: list[dict[str, str]]) -> list[EscrowEntry]:
    """One entry per identifier (the same person named twice is one entry); then look for a
    match of each. Runs inside the caller's transaction."""
    organisation = report.channel.organisation
    keys = counsellor_keys(organisation)
    if not keys or not keyservices.configured():
        raise EscrowUnavailable
    now = timezone.now()
    entries: list[EscrowEntry] = []
    seen: set[bytes] = set()
    for item in identifiers:
        entry = EscrowEntry(organisation=organisation, report=report, path=item["path"],
                            created_at=now)
        data = json.dumps({
            "report": str(report.pk),
            "report_key": b64(report_key),
            "identity_key": b64(identity_key) if identity_key else None,
            "kind": item["kind"],
        }).encode()
        sealed = escrow.seal_entry(
            oprf_output=unb64(item["output"]), reporter_id=str(report.pk), entry_id=str(entry.pk),
            data=data, counsellor_keys=[key for _, key in keys],
        )
        if sealed.match_index in seen:
            continue
        seen.add(sealed.match_index)
        entry.match_index = sealed.match_index
        entry.sealed_data = sealed.sealed_data
        entry.save()
        EscrowShare.objects.bulk_create(
            EscrowShare(entry=entry, counsellor=handler, sealed=blob)
            for (handler, _), blob in zip(keys, sealed.sealed_shares, strict=True)
        )
        entries.append(entry)
        record_match(organisation=organisation, match_index=sealed.match_index)
    record(action="escrow.hold", organisation=organisation, target=report)
    return entries


def record_match(*, organisation: Organisation, match_index: bytes) -> EscrowMatch | None:
    """When entries of two different reports share π, record the match that waits for a
    counsellor (or wake an opened one) and queue the counsellors' notice; None when there is
    none. Runs inside add_entries' transaction, whose escrow.hold event covers it."""
    reports = (EscrowEntry.objects.filter(organisation=organisation, match_index=match_index)
               .values_list("report_id", flat=True).distinct()[:2])
    if len(reports) < 2:
        return None
    match, created = EscrowMatch.objects.get_or_create(
        organisation=organisation, match_index=match_index,
        defaults={"found_at": timezone.now()},
    )
    if not created and match.state != MatchState.PENDING:
        match.state = MatchState.PENDING  # a new reporter joined an opened match
        match.found_at = timezone.now()
        match.resolved_at = None
        match.save(update_fields=["state", "found_at", "resolved_at"])
    if created or match.state == MatchState.PENDING:
        enqueue_on_commit(notify_escrow_match_task, match.pk)
    return match


@transaction.atomic
def withdraw(*, report: Report) -> None:
    """The reporter takes a held report back before any match: it is deleted with its entries
    and files, as if it had never been sent."""
    locked = Report.objects.select_for_update().filter(pk=report.pk).first()
    if locked is None or locked.status != Status.HELD:
        raise NotHeld
    names = list(locked.attachments.values_list("storage_name", flat=True))
    organisation = locked.channel.organisation
    indexes = [bytes(i) for i in locked.escrow_entries.values_list("match_index", flat=True)]
    record(action="escrow.withdraw", organisation=organisation, target=locked)
    locked.delete()
    for match in EscrowMatch.objects.filter(organisation=organisation, match_index__in=indexes,
                                            state=MatchState.PENDING):
        # A match waiting on one report alone would flag that honest report's entry.
        if match.entries().values("report_id").distinct().count() < 2:
            match.delete()

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


# Opening a match ------------------------------------------------------------------------------


@dataclass
class Opening:
    """What a counsellor's opening of a match did."""

    released: list[Report] = field(default_factory=list)
    already_released: list[Report] = field(default_factory=list)
    flagged: list[EscrowEntry] = field(default_factory=list)
    unreadable: list[EscrowEntry] = field(default_factory=list)  # sealed before their time
    no_readers: list[Report] = field(default_factory=list)
    # Readable, but nothing opened while some entries are unreadable: they may fit those, so
    # they are neither trusted nor flagged, and the match waits for another counsellor.
    unchecked: list[EscrowEntry] = field(default_factory=list)


def _release(report: Report, *, report_key: bytes, identity_key: bytes | None,
             by: Handler) -> bool:
    reading = release_readers(report, report_key)
    if not reading:
        return False
    seal_to_readers(report, reading, report_key=report_key, identity_key=identity_key)
    now = timezone.now()
    channel = report.channel
    report.status = Status.NEW
    report.acknowledge_by = now + datetime.timedelta(days=channel.acknowledge_days)
    report.feedback_by = report.acknowledge_by + datetime.timedelta(days=channel.feedback_days)
    report.set_next_deadline()
    report.save(update_fields=["status", "acknowledge_by", "feedback_by", "next_deadline"])
    record(action="escrow.release", actor=by.user, organisation=channel.organisation,
           target=report)
    # Released, it is a new report for its readers: the same content-free notices a report sent
    # straight to the channel queues (safelight.intake.actions.submit_report).
    enqueue_on_commit(notify_new_report_task, str(report.pk))
    if report.priority == Priority.URGENT:
        enqueue_on_commit(notify_urgent_task, str(report.pk))
    return True


@transaction.atomic
def open_match(*, match: EscrowMatch, counsellor: Handler, private_key: PrivateKey) -> Opening:
    """Open every entry of the match the counsellor can, reconstruct k robustly, release the
    reports whose entries fit it, and flag the entries that do not (never trusted)."""
    match = EscrowMatch.objects.select_for_update().get(pk=match.pk)
    entries = {str(e.pk): e for e in match.entries().select_related("report__channel")}
    shares = {str(s.entry_id): s for s in
              EscrowShare.objects.filter(entry_id__in=entries.keys(), counsellor=counsellor)}
    opening = Opening()
    now = timezone.now()
    held = []
    for entry_id, entry in entries.items():
        share = shares.get(entry_id)
        if share is None:
            opening.unreadable.append(entry)
            continue
        try:
            opened = escrow.open_share(private_key, bytes(share.sealed))
        except CryptoError:
            opening.flagged.append(entry)
            continue
        held.append(escrow.HeldEntry(entry_id=entry_id, share=opened,
                                     sealed_data=bytes(entry.sealed_data)))
    recovery = escrow.recover_entries(held)
    if not recovery.opened and opening.unreadable:
        opening.unchecked = [entries[entry_id] for entry_id in recovery.flagged]
        recovery = escrow.Recovery(opened={}, flagged=())
    opening.flagged += [entries[entry_id] for entry_id in recovery.flagged]
    fitting: dict[str, dict] = {}
    for entry_id, raw in recovery.opened.items():
        data = json.loads(raw)
        if data.get("report") != str(entries[entry_id].report_id):
            opening.flagged.append(entries[entry_id])  # sealed for another report: not trusted
            continue
        fitting[entry_id] = data
    if len({entries[entry_id].report_id for entry_id in fitting}) < 2:
        opening.flagged += [entries[entry_id] for entry_id in fitting]  # one report alone
        fitting = {}
    for entry_id, data in fitting.items():
        entry = entries[entry_id]
        entry.matched_at = now
        entry.save(update_fields=["matched_at"])
        report = entry.report
        if report.status != Status.HELD:
            if report not in opening.already_released:
                opening.already_released.append(report)
            continue
        identity_key = unb64(data["identity_key"]) if data.get("identity_key") else None
        if _release(report, report_key=unb64(data["report_key"]), identity_key=identity_key,
                    by=counsellor):
            opening.released.append(report)
        else:
            opening.no_readers.append(report)
    for entry in opening.flagged:
        entry.flagged_at = now
        entry.save(update_fields=["flagged_at"])
    if fitting:
        match.state = MatchState.RELEASED
    elif opening.unreadable and not recovery.opened:
        match.state = MatchState.PENDING  # another counsellor may hold the missing shares
    else:
        match.state = MatchState.FLAGGED
    match.resolved_at = None if match.state == MatchState.PENDING else now
    match.resolved_by = None if match.state == MatchState.PENDING else counsellor
    match.save(update_fields=["state", "resolved_at", "resolved_by"])
    record(action=f"escrow.match.{match.state}", actor=counsellor.user,
           organisation=match.organisation, target=match)
    return opening
