"""Retaliation check-ins on the reporter's follow-up page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from safelight.audit.models import Event
from safelight.cases.actions import close_case, open_due_checkins
from safelight.cases.models import CheckIn
from safelight.reports.models import Priority, Status
from tests.cases.conftest import opened_with_receipt, submit

pytestmark = pytest.mark.django_db
CANARY = "canary-checkin-5150"


@pytest.fixture
def closed(channel, hana):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    close_case(report=report, report_key=opened.report_key, handler=hana,
               category="substantiated", actions=["warning"],
               message="We have finished looking into your report.")
    return report, receipt


def _make_due(report):
    first = CheckIn.objects.filter(report=report).order_by("due_at").first()
    first.due_at = timezone.now() - datetime.timedelta(minutes=1)
    first.save()
    return first


def _reporter(receipt) -> Client:
    client = Client()
    assert client.post("/receipt/", {"receipt": receipt}).status_code == 302
    return client


def test_it_asks_nothing_before_a_check_in_is_due(closed):
    page = _reporter(closed[1]).get("/receipt/report/").content.decode()
    assert "has anyone treated you worse" not in page


def test_it_shows_the_question_when_due_and_a_no_keeps_the_case_closed(closed):
    report, receipt = closed
    due = _make_due(report)
    reporter = _reporter(receipt)
    page = reporter.get("/receipt/report/").content.decode()
    assert "Since you reported, has anyone treated you worse because of it?" in page

    response = reporter.post("/receipt/report/check-in/", {"worse": "no"}, follow=True)

    assert "Thank you for letting us know." in response.content.decode()
    due.refresh_from_db()
    assert due.answered_at is not None
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert "has anyone treated you worse" not in reporter.get("/receipt/report/").content.decode()


def test_a_yes_reopens_the_case_with_elevated_priority(closed, django_capture_on_commit_callbacks):
    report, receipt = closed
    due = _make_due(report)
    reporter = _reporter(receipt)
    with django_capture_on_commit_callbacks() as callbacks:
        response = reporter.post("/receipt/report/check-in/",
                                 {"worse": "yes", "note": f"He moved desks next to me {CANARY}"},
                                 follow=True)
    assert "Your case has been opened again" in response.content.decode()
    assert len(callbacks) == 1  # the alert to the case's handlers, sent after the commit
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.closed_at is None
    assert report.priority == Priority.ELEVATED
    due.refresh_from_db()
    assert CANARY.encode() not in bytes(due.answer)
    assert not CheckIn.objects.filter(report=report, answered_at__isnull=True).exists()
    assert Event.objects.filter(action="report.reopen.retaliation").exists()


def test_it_keeps_an_urgent_priority_urgent_when_reopening(closed):
    report, receipt = closed
    report.set_priority(Priority.URGENT)
    report.save()
    _make_due(report)
    _reporter(receipt).post("/receipt/report/check-in/", {"worse": "yes"})
    report.refresh_from_db()
    assert report.priority == Priority.URGENT


def test_it_asks_again_without_losing_the_note(closed):
    report, receipt = closed
    _make_due(report)
    reporter = _reporter(receipt)
    response = reporter.post("/receipt/report/check-in/", {"note": "my words stay"})
    page = response.content.decode()
    assert "Choose yes or no." in page and "my words stay" in page
    assert not CheckIn.objects.filter(answered_at__isnull=False).exists()


def test_the_handler_sees_the_answer(client, closed, hana):
    from tests.conftest import sign_in

    report, receipt = closed
    _make_due(report)
    _reporter(receipt).post("/receipt/report/check-in/", {"worse": "yes", "note": "moved desks"})
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "the reporter says they have been treated worse" in page
    assert "moved desks" in page


def test_the_periodic_run_opens_due_check_ins(closed):
    report, _receipt = closed
    due = _make_due(report)
    assert open_due_checkins() == 1
    due.refresh_from_db()
    assert due.opened_at is not None
    assert open_due_checkins() == 0
