"""Daily reminder digests: who gets one, what it says (counts only), and once a day."""

import datetime
import os
import uuid
from collections.abc import Iterable

import pytest
from django.core import mail
from django.utils import timezone

from safelight.accounts.actions import create_handler
from safelight.accounts.models import Handler
from safelight.audit.models import Event
from safelight.cases.models import Conflict, ReminderSent
from safelight.cases.reminder_actions import send_reminders
from safelight.reports.models import Channel, Recipient, Report, ReportKey, Role, Status
from tests.conftest import PASSWORD
from tests.test_notifications import give_email, submit_with_canary

NOW = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
DAY = datetime.timedelta(days=1)


def make_report(
    channel: Channel,
    *,
    holders: Iterable[Handler] = (),
    assignee: Handler | None = None,
    due_in: datetime.timedelta = DAY,
    acknowledged: bool = False,
    status: str = Status.NEW,
) -> Report:
    """A report row as the inbox sees it: routing fields set, content fields dummy bytes."""
    deadline = NOW + due_in
    report = Report(
        channel=channel,
        status=Status.ACKNOWLEDGED if acknowledged and status == Status.NEW else status,
        assignee=assignee,
        submitted_at=NOW - 30 * DAY,
        acknowledge_by=deadline if not acknowledged else NOW - 20 * DAY,
        acknowledged_at=NOW - 25 * DAY if acknowledged else None,
        feedback_by=deadline if acknowledged else deadline + 90 * DAY,
        lookup_id=os.urandom(32),
        answers=b"sealed",
        reporter_keys=b"sealed",
    )
    report.set_next_deadline()
    report.save()
    ReportKey.objects.bulk_create(
        ReportKey(report=report, handler=handler, sealed_report_key=b"key") for handler in holders
    )
    return report


def digest_for(address: str):
    messages = [m for m in mail.outbox if m.to == [address]]
    assert len(messages) == 1, [m.to for m in mail.outbox]
    return messages[0]


def recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


@pytest.fixture
def team(organisation, channel, hana, ben):
    """hana and ben coordinate the channel; ivan investigates; eve is an external investigator."""
    ivan = create_handler(organisation=organisation, username="ivan", password=PASSWORD)
    eve = create_handler(organisation=organisation, username="eve", password=PASSWORD)
    Recipient.objects.create(channel=channel, handler=ivan, role=Role.INVESTIGATOR)
    Recipient.objects.create(channel=channel, handler=eve, role=Role.EXTERNAL)
    give_email(hana, ben, ivan, eve)
    return {"hana": hana, "ben": ben, "ivan": ivan, "eve": eve}


@pytest.mark.django_db
def test_it_reminds_the_coordinators_who_hold_the_key_of_an_unassigned_case(channel, team):
    # ivan holds the key but is no coordinator; eve, external, holds none.
    make_report(channel, holders=[team["hana"], team["ben"], team["ivan"]])
    assert send_reminders(now=NOW) == 2
    assert recipients() == ["ben@acme.example", "hana@acme.example"]


@pytest.mark.django_db
def test_it_reminds_only_the_assignee_of_an_assigned_case(channel, team):
    make_report(channel, holders=[team["hana"], team["ben"], team["eve"]], assignee=team["eve"])
    assert send_reminders(now=NOW) == 1
    assert recipients() == ["eve@acme.example"]


@pytest.mark.django_db
def test_it_never_reminds_a_handler_who_declared_a_conflict(channel, team):
    unassigned = make_report(channel, holders=[team["hana"], team["ben"]])
    assigned = make_report(channel, holders=[team["hana"], team["ben"]], assignee=team["hana"])
    Conflict.objects.create(report=unassigned, handler=team["ben"], declared_at=NOW)
    Conflict.objects.create(report=assigned, handler=team["hana"], declared_at=NOW)
    assert send_reminders(now=NOW) == 1
    assert recipients() == ["hana@acme.example"]
    assert "1 case needs acknowledgement" in digest_for("hana@acme.example").body


@pytest.mark.django_db
def test_it_reminds_of_deadlines_within_their_lead_time_and_past_them(channel, team):
    holders = [team["hana"]]
    make_report(channel, holders=holders, due_in=DAY)  # acknowledgement in a day
    make_report(channel, holders=holders, due_in=-3 * DAY)  # acknowledgement overdue
    make_report(channel, holders=holders, due_in=3 * DAY)  # acknowledgement: not yet
    make_report(channel, holders=holders, acknowledged=True, due_in=10 * DAY)  # feedback soon
    make_report(channel, holders=holders, acknowledged=True, due_in=20 * DAY)  # not yet
    make_report(channel, holders=holders, due_in=-3 * DAY, status=Status.CLOSED)
    met = make_report(channel, holders=holders, acknowledged=True, due_in=-DAY)
    Report.objects.filter(pk=met.pk).update(feedback_at=NOW - DAY, next_deadline=None)

    assert send_reminders(now=NOW) == 1
    body = digest_for("hana@acme.example").body
    assert (
        "In “Harassment at work” (Acme Platform): 2 cases need acknowledgement, 1 of them "
        "overdue; 1 case needs feedback." in body
    )
    assert ReminderSent.objects.get(handler=team["hana"]).cases == 3


@pytest.mark.django_db
def test_it_groups_a_digest_by_channel(channel, other_channel, team, olga):
    Recipient.objects.create(channel=other_channel, handler=team["hana"], role=Role.COORDINATOR)
    make_report(channel, holders=[team["hana"]], due_in=-DAY)
    make_report(channel, holders=[team["hana"]], due_in=-DAY)
    make_report(other_channel, holders=[team["hana"], olga], acknowledged=True, due_in=5 * DAY)

    assert send_reminders(now=NOW) == 1  # olga has no address
    message = digest_for("hana@acme.example")
    assert message.subject == "Safelight: 3 cases need attention"
    lines = [line for line in message.body.splitlines() if line.startswith("In ")]
    assert lines == [
        "In “Harassment at work” (Acme Platform): 2 cases need acknowledgement, "
        "2 of them overdue.",
        "In “Abuse on our platform” (Acme Platform): 1 case needs feedback.",
    ]
    assert "http://127.0.0.1:8000/staff/reports/?due=overdue" in message.body


@pytest.mark.django_db
def test_it_sends_one_digest_a_day(channel, team):
    make_report(channel, holders=[team["hana"]])
    assert send_reminders(now=NOW) == 1
    make_report(channel, holders=[team["hana"]])
    assert send_reminders(now=NOW + datetime.timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1
    assert send_reminders(now=NOW + DAY) == 1
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(handler=team["hana"]).count() == 2
    assert Event.objects.filter(action="reminders.sent").count() == 2


@pytest.mark.django_db
def test_it_skips_handlers_without_an_address_or_an_active_account(channel, team):
    team["ben"].user.email = ""
    team["ben"].user.save()
    team["hana"].user.is_active = False
    team["hana"].user.save()
    make_report(channel, holders=[team["hana"], team["ben"]])
    assert send_reminders(now=NOW) == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_it_tries_again_at_the_next_run_when_a_digest_did_not_leave(
    channel, team, settings, caplog
):
    make_report(channel, holders=[team["hana"]])
    settings.EMAIL_BACKEND = "safelight.notifications.UnconfiguredEmailBackend"
    assert send_reminders(now=NOW) == 0
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "tests.cases.test_reminders.FailingBackend"
    assert send_reminders(now=NOW) == 0
    assert "not sent (SMTPServerDisconnected)" in caplog.text
    assert not ReminderSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reminders(now=NOW) == 1


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("gone")


@pytest.mark.django_db
def test_it_puts_nothing_from_the_cases_in_a_digest(channel, hana, ben):
    canary = f"CANARY{uuid.uuid4().hex}"
    give_email(hana, ben)
    report = submit_with_canary(channel, canary)
    Report.objects.filter(pk=report.pk).update(next_deadline=NOW - DAY)
    assert send_reminders(now=NOW) == 2
    for message in mail.outbox:
        text = str(message.message())
        assert canary not in text
        assert report.reference not in text and str(report.pk) not in text
        assert "1 case needs acknowledgement and is overdue" in message.body


@pytest.mark.django_db
def test_it_counts_in_the_database_whatever_the_number_of_cases(
    channel, other_channel, team, olga, django_assert_max_num_queries
):
    give_email(olga)
    for number in range(60):
        make_report(
            channel if number % 2 else other_channel,
            holders=[team["hana"], team["ben"], olga],
            assignee=team["eve"] if number % 3 == 0 else None,
            acknowledged=number % 5 == 0,
            due_in=(number % 7 - 3) * DAY,
        )
    # Two grouped counts, channels and their words (every language in one query), handlers, the
    # grouped news count (new reports and messages for handlers who chose the digest), then per
    # digest sent: a claim (savepoint, insert,
    # release) and its audit event once. Nothing per case.
    handlers = 4
    with django_assert_max_num_queries(6 + handlers * 3 + 1):
        assert send_reminders(now=NOW) == handlers
