import pytest
from django.test import Client

from safelight.audit.models import Event
from safelight.reports.models import Message, Report, Status
from tests.conftest import sign_in
from tests.intake import flow

STEPS = {
    1: {"q_what_happened": "My manager posts my address online."},
    6: {"q_name": "Rosa Reporter", "q_contact": "rosa@example.org"},
}


@pytest.fixture
def report(channel):
    flow.report(Client(), channel, STEPS)
    return Report.objects.get()


def test_it_lists_the_report_in_the_inbox_with_deadlines(client, hana, report):
    sign_in(client, hana)
    page = client.get("/staff/reports/").content.decode()
    assert report.reference in page
    assert "Harassment at work" in page
    assert "New" in page


def test_it_shows_answers_and_identity_to_a_reader_allowed_to_see_it(client, hana, report):
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "My manager posts my address online." in page
    assert "rosa@example.org" in page
    assert Event.objects.filter(action="report.view", actor=hana.user,
                                target_id=str(report.pk)).exists()


def test_it_hides_identity_from_a_reader_not_allowed_to_see_it(client, ben, report):
    sign_in(client, ben)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "My manager posts my address online." in page
    assert "rosa@example.org" not in page
    assert "does not let you see them" in page


def test_it_gives_404_to_a_handler_of_another_channel(client, olga, other_channel, report):
    sign_in(client, olga)
    assert report.reference not in client.get("/staff/reports/").content.decode()
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/reply/", {"body": "hi"}).status_code == 404
    assert client.post(f"/staff/reports/{report.pk}/status/",
                       {"status": "acknowledged"}).status_code == 404
    assert not Message.objects.exists()
    assert Report.objects.get().status == Status.NEW


def test_it_gives_404_to_a_handler_the_reporter_excluded(client, channel, hana, ben):
    flow.report(Client(), channel, {3: {"q_excluded": [str(ben.pk)]}})
    report = Report.objects.get()
    assert not report.keys.filter(handler=ben).exists()
    sign_in(client, ben)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    assert report.reference not in client.get("/staff/reports/").content.decode()


def test_it_gives_404_to_a_handler_removed_from_the_channel(client, channel, ben, report):
    channel.recipient_set.filter(handler=ben).delete()
    sign_in(client, ben)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404


def test_it_sends_the_anonymous_to_sign_in(client, report):
    response = client.get(f"/staff/reports/{report.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")


def test_it_replies_and_acknowledges(client, hana, report):
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/reply/",
                           {"body": "Thank you. We are looking into it."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert report.acknowledged_at is not None
    # A plain reply acknowledges; it is no feedback on what was done (tests/cases/test_deadlines).
    assert report.feedback_at is None
    message = Message.objects.get()
    assert message.author == hana
    assert b"looking into it" not in bytes(message.body)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "Thank you. We are looking into it." in page


def test_it_refuses_an_empty_reply(client, hana, report):
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/reply/", {"body": "  "})
    assert response.status_code == 200
    assert "Write a message or add a file to send." in response.content.decode()
    assert not Message.objects.exists()


def test_it_moves_the_status_forward_and_records_it(client, hana, report):
    sign_in(client, hana)
    client.post(f"/staff/reports/{report.pk}/reply/", {"body": "Thank you, we have it."})
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED  # by the reply (tests/cases/test_acknowledge...)
    assert client.post(f"/staff/reports/{report.pk}/status/",
                       {"status": "in_progress"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    assert report.acknowledged_at is not None
    assert Event.objects.filter(action="report.status.in_progress").count() == 1


def test_it_refuses_an_impossible_status_change(client, hana, report):
    sign_in(client, hana)
    client.post(f"/staff/reports/{report.pk}/status/", {"status": "in_progress"})
    client.post(f"/staff/reports/{report.pk}/status/", {"status": "new"})
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS


def test_it_refuses_a_reply_without_csrf_token(hana, report):
    client = Client(enforce_csrf_checks=True)
    client.cookies = sign_in(Client(), hana).cookies
    response = client.post(f"/staff/reports/{report.pk}/reply/", {"body": "x"})
    assert response.status_code == 403
    assert not Message.objects.exists()
