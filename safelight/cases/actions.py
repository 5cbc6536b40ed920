"""Every write of case handling: reading, assignment, conflicts, support measures, replies,
closing, check-ins.

Each action is atomic and writes one audit event. Whatever a handler or reporter writes (notes,
reasons, answers) is sealed under the report key; categories and dates stay in clear.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.accounts.access import awaiting_reset_confirmation
from safelight.accounts.models import Handler
from safelight.audit.actions import record
from safelight.cases.access import eligible_assignees
from safelight.cases.models import (
    CaseReading,
    CheckIn,
    Conflict,
    MeasureState,
    Outcome,
    OutcomeAction,
    ReplyTemplate,
    SupportMeasure,
)
from safelight.cases.opening import OpenedReport
from safelight.cases.reply_templates import gives_feedback as template_gives_feedback
from safelight.cases.template_actions import record_template_use
from safelight.crypto import seal_to
from safelight.evidence.models import LockerShare
from safelight.notification_tasks import notify_reopened_task
from safelight.referrals.actions import record_referrals
from safelight.referrals.models import Service
from safelight.reports.actions import NewFile, send_message
from safelight.reports.models import (
    PRIORITY_RANK,
    Attachment,
    Message,
    Priority,
    Recipient,
    Report,
    ReportKey,
    Role,
    Status,
)
from safelight.reports.sealing import REPORT, seal_json
from safelight.tasks import enqueue_on_commit


class NotAllowed(Exception):
    """The action is not open to this handler, or to this handler's choice; the message says why."""


# Assignment and conflicts ---------------------------------------------------------------------


def _grant(opened: OpenedReport, recipient: Recipient) -> None:
    """Seal the report key (and the identity key where the role allows and the sealer holds it)
    to a new reader. Nothing is ever sealed to someone the reporter excluded or in conflict."""
    handler = recipient.handler
    if handler.pk in opened.excluded_handler_ids() or opened.report.conflicts.filter(
        handler=handler
    ).exists():
        raise NotAllowed(_("This person may not see the report."))
    if awaiting_reset_confirmation([handler.pk]):
        raise NotAllowed(_(
            "This person's account was reset and is waiting for their confirmation."
        ))
    public_key = handler.sealing_key()
    identity_key = opened.identity_key if recipient.sees_identity else None
    key, created = ReportKey.objects.get_or_create(
        report=opened.report,
        handler=handler,
        defaults={
            "sealed_report_key": seal_to(public_key, opened.report_key),
            "sealed_identity_key": seal_to(public_key, identity_key) if identity_key else None,
        },
    )
    if not created and key.sealed_identity_key is None and identity_key is not None:
        key.sealed_identity_key = seal_to(public_key, identity_key)
        key.save(update_fields=["sealed_identity_key"])


@transaction.atomic
def assign_case(*, opened: OpenedReport, assignee: Handler | None, by: Handler) -> None:
    """Assign the case (None: to nobody). The new assignee gets the report key sealed to them by
    `by`, who holds it; an external investigator who is moved off the case loses their key."""
    report = opened.report
    if Recipient.objects.filter(
        channel_id=report.channel_id, handler=by, role=Role.COORDINATOR
    ).first() is None:
        raise NotAllowed(_("Only the channel's intake coordinators assign cases."))
    previous = report.assignee
    if assignee is not None:
        recipient = next(
            (r for r in eligible_assignees(opened) if r.handler_id == assignee.pk), None
        )
        if recipient is None:
            raise NotAllowed(_("This case cannot be assigned to that person."))
        _grant(opened, recipient)
    if previous is not None and previous != assignee:
        previous_role = (
            Recipient.objects.filter(channel_id=report.channel_id, handler=previous)
            .values_list("role", flat=True)
            .first()
        )
        if previous_role == Role.EXTERNAL:
            ReportKey.objects.filter(report=report, handler=previous).delete()
    report.assignee = assignee
    report.save(update_fields=["assignee"])
    record(action="report.assign" if assignee else "report.unassign", actor=by.user,
           organisation=report.channel.organisation, target=report)


@transaction.atomic
def declare_conflict(*, report: Report, handler: Handler) -> None:
    """The handler knows someone involved: they lose their key and never get one again."""
    Conflict.objects.get_or_create(
        report=report, handler=handler, defaults={"declared_at": timezone.now()}
    )
    ReportKey.objects.filter(report=report, handler=handler).delete()
    # An evidence locker the reporter shared through this report goes with the report's key.
    LockerShare.objects.filter(report=report, handler=handler).delete()
    if Report.objects.filter(pk=report.pk, assignee=handler).update(assignee=None):
        report.assignee = None
    record(action="report.conflict.declared", actor=handler.user,
           organisation=report.channel.organisation, target=report)


# Reading --------------------------------------------------------------------------------------


@transaction.atomic
def view_case(*, report: Report, handler: Handler) -> None:
    """The handler opened the case page: the reporter's messages up to now are read by them."""
    CaseReading.objects.update_or_create(
        handler=handler, report=report, defaults={"seen_at": timezone.now()}
    )
    record(action="report.view", actor=handler.user, organisation=report.channel.organisation,
           target=report)


@transaction.atomic
def download_attachment(*, attachment: Attachment, actor: User) -> None:
    """A handler downloaded one of the report's files (the file itself is streamed by the view)."""
    record(action="report.file.download", actor=actor,
           organisation=attachment.report.channel.organisation, target=attachment)


# Support measures -----------------------------------------------------------------------------


def _seal_note(report_key: bytes, row: Model, text: str, field: str) -> bytes | None:
    text = text.strip()
    if not text:
        return None
    return seal_json(report_key, text, purpose=REPORT, object_id=row.pk, field=field)


@transaction.atomic
def record_measure(
    *, report: Report, report_key: bytes, handler: Handler, kind: str, state: str, note: str = ""
) -> SupportMeasure:
    now = timezone.now()
    measure = SupportMeasure(report=report, kind=kind, state=state, offered_at=now,
                             updated_at=now, recorded_by=handler)
    measure.note = _seal_note(report_key, measure, note, "measure-note")
    measure.save()
    record(action="report.measure.recorded", actor=handler.user,
           organisation=report.channel.organisation, target=measure)
    return measure


@transaction.atomic
def update_measure(*, measure: SupportMeasure, handler: Handler, state: str) -> None:
    if state not in MeasureState.values:
        raise NotAllowed(_("Choose one of the listed states."))
    measure.state = state
    measure.updated_at = timezone.now()
    measure.save(update_fields=["state", "updated_at"])
    record(action=f"report.measure.{state}", actor=handler.user,
           organisation=measure.report.channel.organisation, target=measure)


# Replies ----------------------------------------------------------------------------------------


def _record_template_use(message: Message, template: ReplyTemplate, shown: int | None) -> None:
    """The version the handler was shown, even if the template changed since; none shown (or a
    made-up one): the current version."""
    if shown is None or not template.revisions.filter(version=shown).exists():
        shown = None
    record_template_use(message=message, template=template, version=shown)


@transaction.atomic
def send_reply(
    *, report: Report, report_key: bytes, handler: Handler, body: str,
    files: Iterable[NewFile] = (), gives_feedback: bool = False,
    template: ReplyTemplate | None = None, template_version: int | None = None,
    services: Iterable[Service] = (),
) -> Message:
    """A handler's reply to the reporter, noting the template it started from and the services
    it refers the reporter to. A reply started from a template of a feedback kind gives feedback.
    The audit events are the reply's, and the referrals' when it names services."""
    message = send_message(
        report=report, report_key=report_key, body=body, files=files, author=handler,
        gives_feedback=gives_feedback or template_gives_feedback(template),
    )
    if template is not None:
        _record_template_use(message, template, template_version)
    services = list(services)
    if services:
        record_referrals(message=message, services=services)
    return message


# Closing and reopening ------------------------------------------------------------------------


@transaction.atomic
def close_case(
    *, report: Report, report_key: bytes, handler: Handler, category: str,
    actions: Iterable[str], reason: str = "", message: str = "", no_message_reason: str = "",
    template: ReplyTemplate | None = None, template_version: int | None = None,
) -> Outcome:
    """Close with an outcome (categories in clear, reason sealed) and schedule the check-ins.

    Closing tells the reporter: `message` is sent in the conversation (sealed like every reply,
    and counted as feedback), in the same transaction. A handler may close without a word only
    by saying why (`no_message_reason`, sealed); the audit event then says that no message was
    sent, and nothing else.
    """
    if report.status == Status.CLOSED:
        raise NotAllowed(_("This case is already closed."))
    message = message.strip()
    no_message_reason = no_message_reason.strip()
    if not message and not no_message_reason:
        raise NotAllowed(_("Write a closing message to the reporter, or say why they should not "
                           "get one."))
    closing_message = None
    if message:
        closing_message = send_message(report=report, report_key=report_key, body=message,
                                       author=handler, gives_feedback=True)
        if template is not None:
            _record_template_use(closing_message, template, template_version)
    now = timezone.now()
    outcome, _created = Outcome.objects.get_or_create(
        report=report, defaults={"category": category, "decided_at": now}
    )
    outcome.category = category
    outcome.decided_at = now
    outcome.decided_by = handler
    outcome.reason = _seal_note(report_key, outcome, reason, "outcome-reason")
    outcome.closing_message = closing_message
    outcome.no_message_reason = (
        None if closing_message is not None
        else _seal_note(report_key, outcome, no_message_reason, "outcome-no-message")
    )
    outcome.save()
    outcome.actions.all().delete()
    OutcomeAction.objects.bulk_create(
        OutcomeAction(outcome=outcome, code=code) for code in sorted(set(actions))
    )
    # Closing meets no deadline by itself: only the closing message (a reply that gives
    # feedback, above) does.
    report.status = Status.CLOSED
    report.closed_at = now
    report.set_next_deadline()
    report.save(update_fields=["status", "closed_at", "next_deadline"])
    _schedule_checkins(report, now)
    record(action="report.close" if closing_message else "report.close.without_message",
           actor=handler.user, organisation=report.channel.organisation, target=report)
    return outcome


def _reopen(report: Report, *, priority_at_least: str | None = None) -> None:
    report.status = Status.IN_PROGRESS
    report.closed_at = None
    fields = ["status", "closed_at", "next_deadline"]
    if priority_at_least is not None and report.priority_rank > _rank(priority_at_least):
        report.set_priority(priority_at_least)
        fields += ["priority", "priority_rank"]
    report.set_next_deadline()
    report.save(update_fields=fields)
    _cancel_pending_checkins(report)


def _rank(priority: str) -> int:
    return PRIORITY_RANK[Priority(priority)]


# Check-ins ------------------------------------------------------------------------------------


def _schedule_checkins(report: Report, closed_at: datetime.datetime) -> list[CheckIn]:
    """Replace the report's unanswered check-ins with the channel's schedule from closed_at."""
    report.checkins.filter(answered_at__isnull=True).delete()
    return CheckIn.objects.bulk_create(
        CheckIn(report=report, due_at=closed_at + datetime.timedelta(days=days))
        for days in report.channel.checkin_day_list
    )


def _cancel_pending_checkins(report: Report) -> None:
    report.checkins.filter(answered_at__isnull=True).delete()


@transaction.atomic
def open_due_checkins(*, now: datetime.datetime | None = None) -> int:
    """Mark every check-in that has come due as open; run by the periodic tick.

    The follow-up page shows a due check-in whether or not this ran (safelight.cases.checkins);
    the mark records when it became visible, so the case page can say how long it has waited for
    an answer.
    """
    now = now or timezone.now()
    due = CheckIn.objects.filter(due_at__lte=now, opened_at__isnull=True, answered_at__isnull=True)
    count = due.update(opened_at=now)
    if count:
        record(action="checkins.opened")
    return count


@transaction.atomic
def reopen_case(*, report: Report, handler: Handler) -> None:
    if report.status != Status.CLOSED:
        raise NotAllowed(_("Only a closed case can be reopened."))
    _reopen(report)
    record(action="report.reopen", actor=handler.user, organisation=report.channel.organisation,
           target=report)


@transaction.atomic
def answer_checkin(*, checkin: CheckIn, report_key: bytes, worse: bool, note: str = "") -> None:
    """The reporter's answer to "has anyone treated you worse since you reported?".

    The answer is sealed. A yes reopens the case with at least elevated priority and alerts its
    handlers (a notification without content, sent after the commit).
    """
    report = checkin.report
    checkin.answered_at = timezone.now()
    checkin.answer = seal_json(report_key, {"worse": worse, "note": note.strip()},
                               purpose=REPORT, object_id=checkin.pk, field="checkin")
    checkin.save(update_fields=["answered_at", "answer"])
    record(action="report.checkin.answered", organisation=report.channel.organisation,
           target=report)
    if worse:
        _reopen(report, priority_at_least=Priority.ELEVATED)
        record(action="report.reopen.retaliation", organisation=report.channel.organisation,
               target=report)
        enqueue_on_commit(notify_reopened_task, str(report.pk))
