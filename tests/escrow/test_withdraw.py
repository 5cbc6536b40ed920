"""A reporter takes a held report back: it goes with its entries, shares and files, as if never
sent. A released report is a case and cannot be taken back this way."""

from pathlib import Path

import pytest
from django.conf import settings

from safelight.audit.models import Event
from safelight.escrow import actions
from safelight.escrow.models import EscrowEntry, EscrowMatch, EscrowShare, MatchState
from safelight.reports.models import Attachment, Report
from tests.cases.conftest import submit
from tests.escrow.test_open_match import cora, hold, open_as, person  # noqa: F401
from tests.intake import flow, samples
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_deletes_a_held_report_with_its_entries_and_files(
    channel, cora, django_capture_on_commit_callbacks  # noqa: F811
):
    before = set(stored_files())
    report, _ = hold(channel, person(), {5: {"q_evidence": [
        flow.upload("chat.png", samples.png())]}})
    assert Attachment.objects.filter(report=report).count() == 1
    files = set(stored_files()) - before
    assert len(files) == 1
    assert EscrowShare.objects.filter(entry__report=report).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw(report=report)

    assert not Report.objects.filter(pk=report.pk).exists()
    assert not EscrowEntry.objects.exists() and not EscrowShare.objects.exists()
    assert not Attachment.objects.exists()
    assert not any(path.exists() for path in files)
    assert Event.objects.filter(action="escrow.withdraw", target_id=str(report.pk)).exists()


def test_a_released_report_cannot_be_withdrawn(channel, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    hold(channel, someone)
    open_as(cora)
    with pytest.raises(actions.NotHeld):
        actions.withdraw(report=first)
    assert Report.objects.filter(pk=first.pk).exists()
    assert EscrowEntry.objects.filter(report=first).exists()


def test_a_report_that_was_never_held_cannot_be_withdrawn(channel):  # noqa: F811
    report, _ = submit(channel)
    with pytest.raises(actions.NotHeld):
        actions.withdraw(report=report)
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_match_left_with_one_report_is_removed_and_the_other_stays_held(
    channel, cora  # noqa: F811
):
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    assert EscrowMatch.objects.get().state == MatchState.PENDING

    actions.withdraw(report=second)

    # Opening a match of one report would flag an honest entry: there is no match any more.
    assert not EscrowMatch.objects.exists()
    first.refresh_from_db()
    assert first.status == "held" and first.escrow_entries.count() == 1
    # Someone else naming the same person later makes a new match, released as usual.
    third, _ = hold(channel, someone)
    assert {r.pk for r in open_as(cora).released} == {first.pk, third.pk}


def test_a_match_of_three_keeps_waiting_when_one_withdraws(channel, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    third, _ = hold(channel, someone)

    actions.withdraw(report=third)

    assert EscrowMatch.objects.get().state == MatchState.PENDING
    assert {r.pk for r in open_as(cora).released} == {first.pk, second.pk}
