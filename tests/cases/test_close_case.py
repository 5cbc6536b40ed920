import datetime
import re

import pytest
from django.test import Client

from safelight.audit.models import Event
from safelight.cases import actions as case_actions
from safelight.cases.actions import close_case
from safelight.cases.models import CheckIn, Outcome, ReplyTemplate, TemplateUse
from safelight.cases.template_actions import install_default_templates
from safelight.reports.models import Message, Priority, Status
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
CANARY = "canary-outcome-9931"


def _close(client, report, **data):
    data.setdefault("message", "We have finished looking into your report.")
    return client.post(f"/staff/reports/{report.pk}/close/", data)


def test_it_closes_with_an_outcome_actions_and_a_sealed_reason(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = _close(client, report, category="substantiated",
                      actions=["warning", "training"], reason=f"Two witnesses {CANARY}")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_at is not None
    assert report.next_deadline is None
    outcome = Outcome.objects.get(report=report)
    assert outcome.category == "substantiated"
    assert sorted(outcome.action_codes) == ["training", "warning"]
    assert CANARY.encode() not in bytes(outcome.reason)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"Two witnesses {CANARY}" in page
    assert Event.objects.filter(action="report.close", actor=hana.user).exists()


def test_it_schedules_the_channels_check_ins(client, channel, hana):
    channel.checkin_days = "30, 90, 180"
    channel.save()
    report, _receipt = submit(channel)
    sign_in(client, hana)
    _close(client, report, category="inconclusive", actions=["none"])
    report.refresh_from_db()
    due = [c.due_at - report.closed_at for c in CheckIn.objects.filter(report=report)]
    assert due == [datetime.timedelta(days=d) for d in (30, 90, 180)]


def test_it_requires_an_outcome_and_keeps_the_input(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = _close(client, report, actions=["warning"], reason="my careful reasons")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the outcome before closing the case." in page
    assert "my careful reasons" in page
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert not Outcome.objects.exists() and not CheckIn.objects.exists()


def test_it_refuses_no_action_together_with_an_action(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = _close(client, report, category="substantiated", actions=["none", "warning"])
    assert response.status_code == 400
    assert "cannot be chosen with other actions" in response.content.decode()


def test_it_no_longer_closes_through_a_plain_status_change(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    client.post(f"/staff/reports/{report.pk}/status/", {"status": "closed"})
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_it_reopens_a_closed_case_and_cancels_pending_check_ins(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    _close(client, report, category="withdrawn", actions=["none"])
    assert CheckIn.objects.count() == 3
    response = client.post(f"/staff/reports/{report.pk}/reopen/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.closed_at is None
    assert not CheckIn.objects.exists()
    assert Event.objects.filter(action="report.reopen").exists()
    # Closing again records the new outcome and schedules new check-ins.
    _close(client, report, category="referred", actions=["none"])
    assert Outcome.objects.get().category == "referred"
    assert CheckIn.objects.count() == 3


# The closing message ------------------------------------------------------------------------

URGENT_TEXT = "The people on call for this channel have been alerted"


def reporter_page(receipt: str) -> str:
    reporter = Client()
    assert reporter.post("/receipt/", {"receipt": receipt}).status_code == 302
    return reporter.get("/receipt/report/").content.decode()


def test_it_refuses_to_close_without_a_message_or_a_reason_and_keeps_the_form(
    client, channel, hana
):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = _close(client, report, category="inconclusive", actions=["none"],
                      reason="my careful reasons", message="  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write a closing message to the reporter." in page
    assert "my careful reasons" in page
    assert re.search(r'value="inconclusive"[^>]* checked', page)
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert not Outcome.objects.exists() and not Message.objects.exists()

    response = _close(client, report, category="inconclusive", actions=["none"],
                      skip_message="on", no_message_reason="")
    assert response.status_code == 400
    assert "Say why the reporter gets no closing message" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW


def test_it_closes_without_a_message_only_with_a_sealed_reason(client, channel, hana):
    report, receipt = submit(channel)
    sign_in(client, hana)
    response = _close(client, report, category="withdrawn", actions=["none"],
                      message="Not to be sent", skip_message="on",
                      no_message_reason=f"Asked not to be contacted {CANARY}")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert not Message.objects.exists()
    outcome = Outcome.objects.get()
    assert outcome.closing_message is None
    assert CANARY.encode() not in bytes(outcome.no_message_reason)
    event = Event.objects.get(action="report.close.without_message")
    assert event.actor == hana.user
    assert not Event.objects.filter(action="report.close").exists()
    staff = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"Asked not to be contacted {CANARY}" in staff
    assert "Not to be sent" not in reporter_page(receipt)
    # No message, no feedback: the reporter's page does not say feedback was given.
    assert report.feedback_at is None


def test_it_prefills_the_closing_message_from_the_outcome_template(client, channel, hana,
                                                                  organisation):
    install_default_templates(organisation=organisation, languages=["en"])
    report, _receipt = submit(channel)
    template = ReplyTemplate.objects.get(kind="outcome")
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    closing = page.split('name="message"')[1].split("</textarea>")[0]
    assert "We have finished looking into your report" in closing
    assert report.reference in closing  # {reference} filled
    assert f'name="template" value="{template.pk}"' in page.split('id="outcome"')[1]


def test_it_sends_the_closing_message_with_the_close_and_the_reporter_reads_it(
    client, channel, hana, organisation
):
    install_default_templates(organisation=organisation, languages=["en"])
    template = ReplyTemplate.objects.get(kind="outcome")
    report, receipt = submit(channel)
    sign_in(client, hana)
    text = f"We found that it happened; the person was warned. {CANARY}"
    response = _close(client, report, category="substantiated", actions=["warning"],
                      message=text, template=template.pk, template_version=template.version)
    assert response.status_code == 302
    report.refresh_from_db()
    message = Message.objects.get()
    assert message.author == hana and message.gives_feedback
    assert CANARY.encode() not in bytes(message.body)
    assert Outcome.objects.get().closing_message == message
    assert TemplateUse.objects.get(message=message).template == template
    assert report.status == Status.CLOSED
    assert report.acknowledged_at == message.sent_at and report.feedback_at == message.sent_at
    page = reporter_page(receipt)
    assert text in page
    assert "Closed" in page


def test_it_sends_nothing_when_the_close_fails(channel, hana, monkeypatch):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)

    def broken(*args, **kwargs):
        raise RuntimeError("scheduler down")

    monkeypatch.setattr(case_actions, "_schedule_checkins", broken)
    with pytest.raises(RuntimeError):
        close_case(report=report, report_key=opened.report_key, handler=hana,
                   category="inconclusive", actions=["none"], message="It is over.")
    assert not Message.objects.exists()
    report.refresh_from_db()
    assert report.status == Status.NEW and report.acknowledged_at is None


def test_it_stops_showing_urgent_handling_once_the_case_is_closed(client, channel, hana):
    report, receipt = submit(channel)
    report.set_priority(Priority.URGENT)
    report.save()
    assert URGENT_TEXT in reporter_page(receipt)
    sign_in(client, hana)
    _close(client, report, category="referred", actions=["none"])
    page = reporter_page(receipt)
    assert "Closed" in page
    assert URGENT_TEXT not in page
    assert "will look at your report first" not in page
