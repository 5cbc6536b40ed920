"""Notification emails: who gets them, and that nothing from a report is ever in one."""

import logging
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from safelight import notifications
from safelight.accounts.actions import create_handler, set_own_email
from safelight.accounts.models import Handler
from safelight.audit.models import Event
from safelight.cases.models import Conflict
from safelight.intake.actions import save_draft_answers, start_draft, submit_report
from safelight.intake.drafts import OpenDraft
from safelight.reports.models import Recipient, Report, Role
from tests.conftest import PASSWORD
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
    with_keys,
)


def submit_with_canary(channel, canary: str) -> Report:  # noqa: F811
    """A real report through the intake actions, with the canary in its answers."""
    draft, key = start_draft(channel=channel)
    opened = OpenDraft(draft=draft, key=key, answers={})
    save_draft_answers(
        draft=opened,
        answers={"what_happened": f"what {canary}", "who": f"who {canary}"},
    )
    report, _receipt = submit_report(draft=opened)
    return report


def give_email(*handlers) -> None:
    for handler in handlers:
        handler.user.email = f"{handler.user.username}@acme.example"
        handler.user.save(update_fields=["email"])


def on_call(channel, *handlers) -> None:  # noqa: F811
    Recipient.objects.filter(channel=channel, handler__in=handlers).update(on_call=True)


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def canary():
    return f"CANARY{uuid.uuid4().hex}"


@pytest.fixture
def report(channel, hana, ben, canary):  # noqa: F811
    give_email(hana, ben)
    return submit_with_canary(channel, canary)


@pytest.mark.django_db
def test_it_tells_the_on_call_handlers_of_an_urgent_report_and_no_one_else(
    report, channel, hana, ben, olga, other_channel, organisation  # noqa: F811
):
    quiet = with_keys(create_handler(organisation=organisation, username="quiet",
                                     password=PASSWORD))
    Recipient.objects.create(channel=channel, handler=quiet, role=Role.EXTERNAL, on_call=True)
    give_email(olga, quiet)
    on_call(channel, hana, ben)
    on_call(other_channel, olga)
    Conflict.objects.create(report=report, handler=ben, declared_at=timezone.now())

    assert notifications.notify_urgent(str(report.pk)) == 1

    # ben declared a conflict, quiet holds no key to it, olga is on call for another channel.
    assert sent_to() == ["hana@acme.example"]


@pytest.mark.django_db
def test_it_skips_handlers_without_an_address_or_an_active_account(report, hana, ben, channel):  # noqa: F811
    on_call(channel, hana, ben)
    hana.user.email = ""
    hana.user.save()
    ben.user.is_active = False
    ben.user.save()
    assert list(notifications.urgent_recipients(report)) == []
    assert notifications.notify_urgent(str(report.pk)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_tells_the_assignee_and_every_key_holder_when_a_case_reopens(
    report, channel, hana, ben, organisation  # noqa: F811
):
    eve = create_handler(organisation=organisation, username="eve", password=PASSWORD)
    give_email(eve)
    Report.objects.filter(pk=report.pk).update(assignee=eve)
    report.refresh_from_db()

    assert notifications.notify_reopened(str(report.pk)) == 3
    assert sent_to() == ["ben@acme.example", "eve@acme.example", "hana@acme.example"]
    # One message each: no one learns who else was told.
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)

    mail.outbox.clear()
    Conflict.objects.create(report=report, handler=eve, declared_at=timezone.now())
    Conflict.objects.create(report=report, handler=hana, declared_at=timezone.now())
    assert notifications.notify_reopened(str(report.pk)) == 1
    assert sent_to() == ["ben@acme.example"]


@pytest.mark.django_db
def test_it_puts_nothing_from_the_report_in_a_notification(report, channel, hana, canary):  # noqa: F811
    on_call(channel, hana)
    notifications.notify_urgent(str(report.pk))
    notifications.notify_reopened(str(report.pk))
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        text = message.subject + message.body + str(message.message())
        assert canary not in text
        assert report.reference not in text and str(report.pk) not in text
        assert report.pk.hex not in text
        assert "“Harassment at work” (Acme Platform)" in message.body
        assert "http://127.0.0.1:8000/staff/reports/" in message.body
        assert message.attachments == []


@pytest.mark.django_db
def test_it_links_to_the_configured_staff_side(report, channel, hana, settings):  # noqa: F811
    settings.SAFELIGHT_STAFF_URL = "https://staff.acme.example"
    on_call(channel, hana)
    notifications.notify_urgent(str(report.pk))
    assert "https://staff.acme.example/staff/reports/\n" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Safelight: an urgent report needs attention"
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db
def test_it_records_each_notification_in_the_audit_log(report, channel, hana):  # noqa: F811
    on_call(channel, hana)
    notifications.notify_urgent(str(report.pk))
    notifications.notify_reopened(str(report.pk))
    events = Event.objects.filter(target_id=str(report.pk), action__startswith="notification.")
    assert sorted(e.action for e in events) == ["notification.reopened", "notification.urgent"]
    assert all(e.organisation == channel.organisation for e in events)


@pytest.mark.django_db
def test_it_does_nothing_for_a_report_that_is_gone():
    assert notifications.notify_urgent(str(uuid.uuid4())) == 0
    assert notifications.notify_reopened(str(uuid.uuid4())) == 0
    assert mail.outbox == []
    assert not Event.objects.filter(action__startswith="notification.").exists()


@pytest.mark.django_db
def test_it_warns_when_an_urgent_report_has_no_one_to_tell(report, caplog):
    with caplog.at_level(logging.WARNING, logger="safelight.notifications"):
        assert notifications.notify_urgent(str(report.pk)) == 0
    assert "no on-call handler" in caplog.text
    assert str(report.pk) not in caplog.text


@pytest.mark.django_db
def test_it_drops_mail_with_a_warning_when_production_has_no_email_server(
    report, channel, hana, settings, caplog  # noqa: F811
):
    settings.EMAIL_BACKEND = "safelight.notifications.UnconfiguredEmailBackend"
    on_call(channel, hana)
    with caplog.at_level(logging.WARNING, logger="safelight.notifications"):
        assert notifications.notify_urgent(str(report.pk)) == 0
    assert "SAFELIGHT_EMAIL_URL is not set: 1 notification email(s) not sent" in caplog.text
    assert "hana@acme.example" not in caplog.text


def test_it_writes_the_digest_line_of_the_issue():
    from safelight.accounts.models import Organisation
    from safelight.reports.models import Channel

    channel = Channel(name="Harassment at work", organisation=Organisation(name="Northwind"))  # noqa: F811
    line = notifications.DigestLine(
        channel=channel, acknowledgement=2, acknowledgement_overdue=1, feedback=1
    )
    assert notifications.digest_line(line) == (
        "In “Harassment at work” (Northwind): 2 cases need acknowledgement, 1 of them overdue; "
        "1 case needs feedback."
    )
    single = notifications.DigestLine(
        channel=channel, acknowledgement=1, acknowledgement_overdue=1, feedback=3,
        feedback_overdue=3,
    )
    assert notifications.digest_line(single) == (
        "In “Harassment at work” (Northwind): 1 case needs acknowledgement and is overdue; "
        "3 cases need feedback, 3 of them overdue."
    )


def test_it_writes_a_digest_of_news_alone_without_deadline_lines(organisation):
    mail_ = notifications.reminder_mail([], notifications.News(new_reports=2, new_messages=1))
    assert mail_.subject == "Safelight: 3 cases need attention"
    assert "2 new reports you have not opened yet." in mail_.body
    assert "1 case with a new message from the reporter." in mail_.body
    assert "Deadlines are near or past" not in mail_.body


def test_it_names_neither_channel_nor_case_in_new_report_and_message_mails(channel):  # noqa: F811
    for mail_ in (notifications.new_report_mail(channel.organisation),
                  notifications.new_message_mail(channel.organisation)):
        assert channel.name not in mail_.subject + mail_.body
        assert "Acme Platform" in mail_.body
        assert "http://127.0.0.1:8000/staff/" in mail_.body


@pytest.mark.django_db
def test_it_writes_to_the_address_the_handler_set_themselves(organisation):
    """The own-email page (which no administrator can change) is where notifications go."""
    handler = create_handler(organisation=organisation, username="noor", password=PASSWORD)
    handler.user.email = ""
    handler.user.save()
    assert not notifications.reachable(Handler.objects.filter(pk=handler.pk)).exists()
    set_own_email(handler=handler, email="noor@example.org")
    reached = list(notifications.reachable(Handler.objects.filter(pk=handler.pk)))
    assert [h.email_address for h in reached] == ["noor@example.org"]
    notifications.send(notifications.Mail(subject="s", body="b"), reached)
    assert mail.outbox[-1].to == ["noor@example.org"]
