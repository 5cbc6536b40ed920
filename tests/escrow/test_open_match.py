"""A counsellor opens a match: reports whose entries fit are released into the case flow; a share
that does not fit is flagged and never trusted (threat: a forged share cannot cause a release).

Held reports are made the way the reporter's flow leaves them (sealed answers, no ReportKey, the
report key only inside the escrow entries), from a report sent through the real flow. The OPRF is
not needed on the counsellor's side: a random 64-byte output stands for "the same person".
"""

from __future__ import annotations

import datetime
import json
import os

import pytest
from django.db import transaction
from django.utils import timezone

from safelight.accounts.actions import create_handler
from safelight.audit.models import Event
from safelight.crypto import PrivateKey, escrow, open_sealed, unwrap_private_key
from safelight.escrow import access, actions
from safelight.escrow.models import (
    EscrowEntry,
    EscrowMatch,
    EscrowSettings,
    EscrowShare,
    MatchState,
)
from safelight.reports.models import Recipient, Report, ReportKey, Status
from safelight.reports.sealing import REPORT, b64, open_json
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import PASSWORD
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    questionnaire,
    with_keys,
)

# Helpers, also used by the other tests of the counsellor's side ------------------------------


def person() -> bytes:
    """An OPRF output: what everyone who names the same person gets."""
    return os.urandom(escrow.OPRF_OUTPUT_BYTES)


def counsel(organisation, *counsellors) -> EscrowSettings:
    found, _ = EscrowSettings.objects.get_or_create(organisation=organisation,
                                                    defaults={"enabled": True})
    found.counsellors.add(*counsellors)
    return found


def hold(the_channel, named: bytes, steps=None) -> tuple[Report, str]:
    """A report sent through the reporter's flow, then held in escrow naming `named`."""
    report, receipt = submit(the_channel, steps)
    opened = opened_with_receipt(receipt)
    with transaction.atomic():
        ReportKey.objects.filter(report=report).delete()
        report.status = Status.HELD
        report.set_next_deadline()
        report.save(update_fields=["status", "next_deadline"])
        actions.add_entries(report=report, report_key=opened.report_key,
                            identity_key=opened.identity_key,
                            identifiers=[{"kind": "email", "output": b64(named), "path": "server"}])
    report.refresh_from_db()
    return report, receipt


def forge(report: Report, match_index: bytes) -> EscrowEntry:
    """An entry claiming a person's π without knowing their line: its share is a point of a
    random line, sealed to the counsellors as an honest one would be."""
    organisation = report.channel.organisation
    keys = access.counsellor_keys(organisation)
    entry = EscrowEntry(organisation=organisation, report=report, path="browser",
                        created_at=timezone.now())
    data = json.dumps({"report": str(report.pk), "report_key": b64(os.urandom(32)),
                       "identity_key": None, "kind": "email"}).encode()
    sealed = escrow.seal_entry(oprf_output=person(), reporter_id=str(report.pk),
                               entry_id=str(entry.pk), data=data,
                               counsellor_keys=[key for _, key in keys])
    entry.match_index = match_index
    entry.sealed_data = sealed.sealed_data
    entry.save()
    EscrowShare.objects.bulk_create(
        EscrowShare(entry=entry, counsellor=handler, sealed=blob)
        for (handler, _), blob in zip(keys, sealed.sealed_shares, strict=True)
    )
    actions.record_match(organisation=organisation, match_index=match_index)
    return entry


def private_key(handler) -> PrivateKey:
    return unwrap_private_key(bytes(handler.wrapped_private_key), PASSWORD)


def open_as(counsellor, match=None) -> actions.Opening:
    match = match or EscrowMatch.objects.get()
    return actions.open_match(match=match, counsellor=counsellor,
                              private_key=private_key(counsellor))


def pi(report: Report) -> bytes:
    return bytes(report.escrow_entries.get().match_index)


@pytest.fixture
def cora(organisation, key_services):
    """The escrow counsellor: reads no channel."""
    cora = with_keys(create_handler(organisation=organisation, username="cora",
                                    password=PASSWORD))
    counsel(organisation, cora)
    return cora


# Tests ----------------------------------------------------------------------------------------


def test_it_releases_two_reporters_reports_into_the_case_flow(channel, hana, ben, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone, {1: {"q_what_happened": "He follows me home."},
                                       6: {"q_name": "Rosa"}})
    second, receipt = hold(channel, someone, {3: {"q_excluded": [str(ben.pk)]}})
    assert not ReportKey.objects.exists()
    match = EscrowMatch.objects.get()
    assert match.state == MatchState.PENDING
    Report.objects.filter(pk__in=[first.pk, second.pk]).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30))

    before = timezone.now()
    opening = open_as(cora)

    assert {r.pk for r in opening.released} == {first.pk, second.pk}
    assert not (opening.flagged or opening.unreadable or opening.no_readers
                or opening.already_released or opening.unchecked)
    # Each report goes to its channel's readers, minus anyone its reporter excluded.
    assert set(ReportKey.objects.filter(report=first).values_list("handler__user__username",
                                                                  flat=True)) == {"hana", "ben"}
    assert set(ReportKey.objects.filter(report=second).values_list("handler__user__username",
                                                                   flat=True)) == {"hana"}
    assert not ReportKey.objects.filter(handler=cora).exists()
    # Identity only to those who may see it.
    assert ReportKey.objects.get(report=first, handler=hana).sealed_identity_key is not None
    assert ReportKey.objects.get(report=first, handler=ben).sealed_identity_key is None
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == Status.NEW
        # Deadlines count from the release, not from the sending a month ago.
        assert report.acknowledge_by >= before + datetime.timedelta(
            days=channel.acknowledge_days)
        assert report.feedback_by == report.acknowledge_by + datetime.timedelta(
            days=channel.feedback_days)
        assert report.next_deadline == report.acknowledge_by
    # hana opens the released report with her own key, as any case.
    row = ReportKey.objects.get(report=first, handler=hana)
    report_key = open_sealed(private_key(hana), bytes(row.sealed_report_key))
    answers = open_json(report_key, first.answers, purpose=REPORT, object_id=first.pk,
                        field="answers")
    assert any(a["value"] == "He follows me home." for a in answers)
    match.refresh_from_db()
    assert (match.state, match.resolved_by) == (MatchState.RELEASED, cora)
    assert match.resolved_at is not None
    assert all(e.matched_at and not e.flagged_at for e in EscrowEntry.objects.all())
    actions_done = list(Event.objects.filter(actor=cora.user, action__startswith="escrow.")
                        .values_list("action", flat=True))
    assert sorted(actions_done) == ["escrow.match.released", "escrow.release", "escrow.release"]
    # The second reporter's receipt still opens their report.
    assert opened_with_receipt(receipt).report.pk == second.pk


def test_it_queues_the_urgent_alert_when_an_urgent_report_is_released(
    channel, cora, django_capture_on_commit_callbacks  # noqa: F811
):
    from django_tasks_db.models import DBTaskResult

    from safelight.reports.models import Priority

    someone = person()
    first, _ = hold(channel, someone)
    hold(channel, someone)
    first.set_priority(Priority.URGENT)
    first.save(update_fields=["priority", "priority_rank"])
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        open_as(cora)
    urgent = DBTaskResult.objects.filter(
        task_path="safelight.notification_tasks.notify_urgent_task")
    assert [row.args_kwargs for row in urgent] == [{"args": [str(first.pk)], "kwargs": {}}]
    # Both get the new-report notice too (tests/escrow/test_release_notifies.py).


def test_a_forged_share_alone_with_one_honest_entry_releases_nothing(channel, cora):  # noqa: F811
    """THREAT: a forged share cannot cause a false release; it is flagged."""
    honest, _ = hold(channel, person())
    attacker, _ = hold(channel, person())
    forged = forge(attacker, pi(honest))
    match = EscrowMatch.objects.get(match_index=pi(honest))

    opening = open_as(cora, match)

    assert opening.released == []
    flagged = {e.pk for e in opening.flagged}
    assert flagged == {honest.escrow_entries.get().pk, forged.pk}
    assert not ReportKey.objects.exists()
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}
    match.refresh_from_db()
    assert match.state == MatchState.FLAGGED
    assert all(EscrowEntry.objects.get(pk=pk).flagged_at for pk in flagged)
    assert not EscrowEntry.objects.filter(matched_at__isnull=False).exists()
    assert Event.objects.filter(action="escrow.match.flagged").exists()
    assert not Event.objects.filter(action="escrow.release").exists()


def test_a_forged_share_beside_two_honest_ones_is_flagged_and_they_are_released(channel, cora):  # noqa: F811
    """THREAT: a forged share cannot cause a false release; it is flagged."""
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    attacker, _ = hold(channel, person())
    forged = forge(attacker, pi(first))

    opening = open_as(cora, EscrowMatch.objects.get(match_index=pi(first)))

    assert {r.pk for r in opening.released} == {first.pk, second.pk}
    assert [e.pk for e in opening.flagged] == [forged.pk]
    forged.refresh_from_db()
    assert forged.flagged_at and not forged.matched_at
    attacker.refresh_from_db()
    assert attacker.status == Status.HELD
    assert not ReportKey.objects.filter(report=attacker).exists()
    assert EscrowMatch.objects.get(match_index=pi(first)).state == MatchState.RELEASED


def test_it_flags_an_entry_whose_data_names_another_report(channel, cora):  # noqa: F811
    """An honest-looking entry copied onto another report row does not release that row."""
    someone = person()
    hold(channel, someone)
    second, _ = hold(channel, someone)
    third, _ = hold(channel, person())
    # Move the second report's entry onto the third report's row: its sealed data still names
    # the second report (and its ids no longer match, so it does not even open).
    EscrowEntry.objects.filter(report=third).delete()
    EscrowEntry.objects.filter(report=second).update(report=third)

    opening = open_as(cora)

    assert opening.released == []
    assert len(opening.flagged) == 2
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}


def test_a_damaged_share_is_flagged(channel, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    EscrowShare.objects.filter(entry__report=second).update(sealed=b"\x00" * 80)

    opening = open_as(cora)

    assert opening.released == []
    assert {e.report_id for e in opening.flagged} == {first.pk, second.pk}
    assert EscrowMatch.objects.get().state == MatchState.FLAGGED


def test_an_entry_sealed_before_the_counsellor_joined_is_unreadable_to_them(
    organisation, channel, cora  # noqa: F811
):
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    dan = with_keys(create_handler(organisation=organisation, username="dan",
                                   password=PASSWORD))
    counsel(organisation, dan)

    opening = open_as(dan)

    # dan can read nothing: nothing is flagged, and the match still waits for cora.
    assert {e.report_id for e in opening.unreadable} == {first.pk, second.pk}
    assert opening.released == opening.flagged == opening.unchecked == []
    match = EscrowMatch.objects.get()
    assert match.state == MatchState.PENDING and match.resolved_at is None
    assert not EscrowEntry.objects.filter(flagged_at__isnull=False).exists()

    assert {r.pk for r in open_as(cora).released} == {first.pk, second.pk}


def test_entries_that_may_fit_unreadable_ones_are_neither_trusted_nor_flagged(
    organisation, channel, cora  # noqa: F811
):
    someone = person()
    first, _ = hold(channel, someone)
    dan = with_keys(create_handler(organisation=organisation, username="dan",
                                   password=PASSWORD))
    counsel(organisation, dan)
    second, _ = hold(channel, someone)  # sealed to cora and dan

    opening = open_as(dan)

    assert [e.report_id for e in opening.unreadable] == [first.pk]
    assert [e.report_id for e in opening.unchecked] == [second.pk]
    assert opening.released == opening.flagged == []
    assert EscrowMatch.objects.get().state == MatchState.PENDING
    assert not EscrowEntry.objects.filter(flagged_at__isnull=False).exists()
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}


def test_reopening_after_a_third_reporter_joins_releases_the_third(channel, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    open_as(cora)
    assert EscrowMatch.objects.get().state == MatchState.RELEASED

    third, _ = hold(channel, someone)
    match = EscrowMatch.objects.get()
    assert match.state == MatchState.PENDING and match.resolved_at is None

    opening = open_as(cora, match)
    assert [r.pk for r in opening.released] == [third.pk]
    assert {r.pk for r in opening.already_released} == {first.pk, second.pk}
    third.refresh_from_db()
    assert third.status == Status.NEW
    assert EscrowMatch.objects.get().state == MatchState.RELEASED


def test_a_report_no_one_can_read_stays_held_until_a_reader_is_added(channel, hana, ben, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    recipients = list(Recipient.objects.filter(channel=channel).values(
        "handler_id", "role", "sees_identity"))
    Recipient.objects.filter(channel=channel).delete()

    opening = open_as(cora)
    assert {r.pk for r in opening.no_readers} == {first.pk, second.pk}
    assert opening.released == [] and opening.flagged == []
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}
    assert not ReportKey.objects.exists()

    Recipient.objects.bulk_create(Recipient(channel=channel, **r) for r in recipients)
    assert {r.pk for r in open_as(cora).released} == {first.pk, second.pk}


def test_entries_of_one_person_in_another_organisation_do_not_match(
    organisation, channel, cora, key_services  # noqa: F811
):
    from safelight.accounts.actions import create_organisation
    from safelight.intake.setup_actions import create_channel, create_default_questionnaire

    elsewhere = create_organisation(name="Other", slug="other")
    olga = with_keys(create_handler(organisation=elsewhere, username="olga2",
                                    password=PASSWORD))
    counsel(elsewhere, olga)
    their_channel = create_channel(
        organisation=elsewhere, name="Reports", slug="reports", description="Reports.",
        who_reads="Olga.", recipients=[(olga, True)],
        questionnaire=create_default_questionnaire(organisation=elsewhere, name="Default"),
    )
    someone = person()
    hold(channel, someone)
    hold(their_channel, someone)
    assert not EscrowMatch.objects.exists()
