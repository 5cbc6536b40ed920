"""Content-free emails of a new report and of a reporter's new message: only to the handlers who
hold the case's key and have no conflict, at once or in the daily digest as each one chose."""

import datetime
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safelight import notifications
from safelight.accounts.actions import create_handler
from safelight.accounts.models import NotifyWhen
from safelight.cases.models import Conflict, ReminderSent
from safelight.cases.reminder_actions import send_reminders
from safelight.intake.actions import send_reporter_message
from safelight.reports.actions import send_message
from safelight.reports.models import Message, Priority, Recipient, Report, Role
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import PASSWORD, sign_in
from tests.test_notifications import give_email, submit_with_canary

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary():
    return f"CANARY{uuid.uuid4().hex}"


@pytest.fixture
def team(organisation, channel, hana, ben, olga):
    """hana and ben hold the channel's reports; olga reads another channel; eve is an external
    investigator, who holds no key until a case is assigned to her."""
    eve = create_handler(organisation=organisation, username="eve", password=PASSWORD)
    Recipient.objects.create(channel=channel, handler=eve, role=Role.EXTERNAL)
    give_email(hana, ben, olga, eve)
    return {"hana": hana, "ben": ben, "olga": olga, "eve": eve}


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def reporter_writes(report: Report, receipt: str, text: str) -> Message:
    opened = opened_with_receipt(receipt)
    return send_reporter_message(report=report, report_key=opened.report_key, body=text)


def assert_content_free(report: Report, canary: str) -> None:
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body + str(message.message())
        assert canary not in text
        assert report.reference not in text and report.pk.hex not in text
        assert str(report.pk) not in text
        assert report.channel.name not in text  # the channel can say what a report is about
        assert "Harassment" not in text
        assert message.attachments == []


def test_it_tells_the_key_holders_of_a_new_report_and_no_one_else(channel, team, canary):
    report = submit_with_canary(channel, canary)
    # ben declares a conflict: he is told nothing more of it.
    Conflict.objects.create(report=report, handler=team["ben"], declared_at=timezone.now())
    assert notifications.notify_new_report(str(report.pk)) == 1
    # olga reads another channel, eve holds no key.
    assert sent_to() == ["hana@acme.example"]
    assert mail.outbox[0].subject == "Safelight: a new report"
    assert_content_free(report, canary)


def test_it_never_tells_a_handler_the_reporter_excluded(channel, team, canary):
    report, receipt = submit(channel, {1: {"q_what_happened": f"what {canary}"},
                                       3: {"q_excluded": [str(team["ben"].pk)]}})
    assert not report.keys.filter(handler=team["ben"]).exists()
    notifications.notify_new_report(str(report.pk))
    reporter_writes(report, receipt, f"more {canary}")
    notifications.notify_new_message(str(Message.objects.get().pk))
    assert sent_to() == ["hana@acme.example", "hana@acme.example"]
    assert_content_free(report, canary)


def test_it_tells_key_holders_of_a_reporters_message_and_no_one_else(channel, team, canary):
    report, receipt = submit(channel)
    Conflict.objects.create(report=report, handler=team["ben"], declared_at=timezone.now())
    message = reporter_writes(report, receipt, f"He wrote again {canary}")
    assert notifications.notify_new_message(str(message.pk)) == 1
    assert sent_to() == ["hana@acme.example"]
    assert mail.outbox[0].subject == "Safelight: a new message from a reporter"
    assert "/staff/reports/?unread=yes" in mail.outbox[0].body
    assert_content_free(report, canary)


def test_it_sends_nothing_for_a_handlers_own_reply(channel, team, hana):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    reply = send_message(report=report, report_key=opened.report_key, body="Hello",
                         author=hana)
    assert notifications.notify_new_message(str(reply.pk)) == 0
    assert mail.outbox == []


def test_it_leaves_handlers_who_chose_the_digest_to_the_digest(channel, team, canary):
    team["ben"].notify = NotifyWhen.DIGEST
    team["ben"].save()
    report, receipt = submit(channel)
    message = reporter_writes(report, receipt, f"news {canary}")
    notifications.notify_new_report(str(report.pk))
    notifications.notify_new_message(str(message.pk))
    assert sent_to() == ["hana@acme.example", "hana@acme.example"]

    mail.outbox.clear()
    assert send_reminders() == 1
    (digest,) = mail.outbox
    assert digest.to == ["ben@acme.example"]
    assert "1 new report you have not opened yet." in digest.body
    assert "1 case with a new message from the reporter." in digest.body
    assert_content_free(report, canary)
    assert ReminderSent.objects.get().handler == team["ben"]


def test_it_counts_in_the_digest_only_what_the_handler_has_not_seen(channel, team, client):
    team["ben"].notify = NotifyWhen.DIGEST
    team["ben"].save()
    seen, seen_receipt = submit(channel)
    unseen, unseen_receipt = submit(channel)
    reporter_writes(seen, seen_receipt, "one")
    reporter_writes(unseen, unseen_receipt, "two")
    sign_in(client, team["ben"])
    client.get(f"/staff/reports/{seen.pk}/")  # ben reads the first case
    assert send_reminders() == 1
    body = mail.outbox[0].body
    assert "1 new report you have not opened yet." in body
    assert "1 case with a new message from the reporter." in body

    # The next day: only what came since the last digest.
    mail.outbox.clear()
    assert send_reminders(now=timezone.now() + datetime.timedelta(days=1)) == 0
    reporter_writes(seen, seen_receipt, "three")
    assert send_reminders(now=timezone.now() + datetime.timedelta(days=1)) == 1
    body = mail.outbox[0].body
    assert "new report" not in body
    assert "1 case with a new message from the reporter." in body


def test_it_does_not_tell_the_on_call_handler_twice_of_an_urgent_report(channel, team):
    Recipient.objects.filter(channel=channel, handler=team["hana"]).update(on_call=True)
    report, _receipt = submit(channel)
    Report.objects.filter(pk=report.pk).update(priority=Priority.URGENT)
    notifications.notify_urgent(str(report.pk))
    notifications.notify_new_report(str(report.pk))
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ben@acme.example", "Safelight: a new report"),
        ("hana@acme.example", "Safelight: an urgent report needs attention"),
    ]


def test_it_queues_the_notifications_with_ids_only(channel, team,
                                                  django_capture_on_commit_callbacks):
    canary = f"CANARY{uuid.uuid4().hex}"
    with django_capture_on_commit_callbacks(execute=True):
        report, receipt = submit(channel, {1: {"q_what_happened": f"what {canary}"}})
    reporter = Client()
    reporter.post("/receipt/", {"receipt": receipt})
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post("/receipt/report/", {"body": f"again {canary}"})
    assert response.status_code == 302
    message = Message.objects.get()
    rows = {row.task_path: row.args_kwargs["args"] for row in DBTaskResult.objects.all()}
    assert rows["safelight.notification_tasks.notify_new_report_task"] == [str(report.pk)]
    assert rows["safelight.notification_tasks.notify_new_message_task"] == [str(message.pk)]
    assert canary not in repr(list(DBTaskResult.objects.values()))
