"""Unread reporter messages: per handler, in the inbox (with a filter) and at the top of the case
page, whose conversation comes before the handling panels."""

import pytest
from django.test import Client

from safelight.cases.models import CaseReading
from safelight.intake.actions import send_reporter_message
from safelight.reports.models import Report
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def reporter_writes(report: Report, receipt: str, text: str) -> None:
    opened = opened_with_receipt(receipt)
    send_reporter_message(report=report, report_key=opened.report_key, body=text)


def inbox(client, **query) -> str:
    return client.get("/staff/reports/", query).content.decode()


def row_of(page: str, report: Report) -> str:
    return page.split(f"/staff/reports/{report.pk}/")[1].split("</tr>")[0]


def test_it_shows_unread_messages_until_the_handler_opens_the_case(client, channel, hana, ben):
    report, receipt = submit(channel)
    quiet, _other_receipt = submit(channel)
    sign_in(client, hana)
    client.get(f"/staff/reports/{report.pk}/")
    reporter_writes(report, receipt, "He came to my desk again.")
    reporter_writes(report, receipt, "And again today.")

    page = inbox(client)
    assert "2 new messages" in row_of(page, report)
    assert "new message" not in row_of(page, quiet)

    case = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "2 new messages from the reporter" in case
    assert case.index('id="unread"') < case.index("What the reporter told us")

    # Opened: read, for hana only.
    assert "new message" not in row_of(inbox(client), report)
    assert "new messages from the reporter" not in client.get(
        f"/staff/reports/{report.pk}/").content.decode()
    other = Client()
    sign_in(other, ben)
    assert "2 new messages" in row_of(inbox(other), report)
    assert CaseReading.objects.filter(handler=hana, report=report).count() == 1


def test_it_counts_a_report_never_opened_with_all_its_reporter_messages(client, channel, hana):
    report, receipt = submit(channel)
    reporter_writes(report, receipt, "One more thing.")
    sign_in(client, hana)
    assert "1 new message" in row_of(inbox(client), report)


def test_it_filters_the_inbox_to_cases_with_unread_messages(client, channel, hana):
    written, receipt = submit(channel)
    quiet, _receipt = submit(channel)
    reporter_writes(written, receipt, "Please call me.")
    sign_in(client, hana)
    page = inbox(client, unread="yes")
    assert f"/staff/reports/{written.pk}/" in page
    assert f"/staff/reports/{quiet.pk}/" not in page
    assert "1 case" in page
    client.get(f"/staff/reports/{written.pk}/")
    assert "No cases here." in inbox(client, unread="yes")


def test_it_puts_the_conversation_above_the_handling_panels(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    messages = page.index('id="messages"')
    for panel in ("risk", "assignment", "measures", "outcome"):
        assert messages < page.index(f'id="{panel}"'), panel
