"""A deadline is met only by the act it names: a report is acknowledged by a reply the reporter
reads, never by a status change on the case page that tells the reporter nothing."""

import re

import pytest
from django.test import Client

from safelight.audit.models import Event
from safelight.reports.models import Status
from tests.cases.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

ACK_MET = re.compile(r"Acknowledge the report: due [^<]* — <strong>(met|met late)</strong>")


def reporter_page(receipt: str) -> str:
    reporter = Client()
    assert reporter.post("/receipt/", {"receipt": receipt}).status_code == 302
    return reporter.get("/receipt/report/").content.decode()


def change_status(client, report, status: str):
    response = client.post(f"/staff/reports/{report.pk}/status/", {"status": status})
    report.refresh_from_db()
    return response


def test_it_offers_no_acknowledged_status_on_the_case_page(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    status_form = re.search(r'<form[^>]*/status/.*?</form>', page, re.S).group(0)
    assert 'value="in_progress"' in status_form
    assert 'value="acknowledged"' not in status_form
    assert "Your first reply to the reporter acknowledges the report." in page


def test_it_refuses_to_mark_a_report_acknowledged_without_a_message(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    change_status(client, report, "acknowledged")
    assert report.status == Status.NEW
    assert report.acknowledged_at is None
    assert report.next_deadline == report.acknowledge_by
    assert not Event.objects.filter(action="report.status.acknowledged").exists()
    page = reporter_page(receipt)
    assert "Acknowledge the report: due" in page
    assert not ACK_MET.search(page)


def test_it_moves_a_case_on_without_meeting_the_acknowledgement(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    assert change_status(client, report, "in_progress").status_code == 302
    assert report.status == Status.IN_PROGRESS
    assert report.acknowledged_at is None
    assert report.next_deadline == report.acknowledge_by
    assert Event.objects.filter(action="report.status.in_progress").count() == 1
    page = reporter_page(receipt)
    assert "Acknowledge the report: due" in page
    assert not ACK_MET.search(page)


def test_it_acknowledges_a_case_in_progress_with_the_first_reply(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    change_status(client, report, "in_progress")
    response = client.post(f"/staff/reports/{report.pk}/reply/",
                           {"body": "Thank you, we have your report."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS  # moved on already: stays so
    assert report.acknowledged_at is not None
    assert report.feedback_at is None
    assert report.next_deadline == report.feedback_by
    assert ACK_MET.search(reporter_page(receipt))
