"""A match tells the counsellors that one is waiting, through the real worker, and nothing else:
no reference, no identifier, nothing a reporter wrote; and no one but the counsellors."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safelight.accounts.actions import create_handler
from safelight.escrow.models import EscrowMatch, MatchState
from tests.conftest import PASSWORD
from tests.escrow.test_open_match import cora, counsel, hold, open_as, person  # noqa: F401
from tests.intake.conftest import ben, channel, hana, questionnaire, with_keys  # noqa: F401
from tests.test_notifications import give_email

CANARY = "CANARY-he-waits-by-my-car"
IDENTIFIER = "some.user@canary.example"


@pytest.fixture
def counsellors(organisation, cora, hana, ben):  # noqa: F811
    dan = with_keys(create_handler(organisation=organisation, username="dan",
                                   password=PASSWORD))
    counsel(organisation, dan)
    give_email(cora, dan, hana, ben)
    return cora, dan


def run_worker() -> None:
    call_command("worker", batch=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_content_free_mail_to_the_counsellors_only(channel, counsellors):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone, {1: {"q_what_happened": CANARY},
                                       6: {"q_contact": IDENTIFIER}})
    DBTaskResult.objects.all().delete()  # the readers' "new report" tasks of the flow
    second, _ = hold(channel, someone, {1: {"q_what_happened": CANARY}})
    match = EscrowMatch.objects.get()
    rows = DBTaskResult.objects.filter(task_path="safelight.escrow.jobs.notify_escrow_match_task")
    assert [row.args_kwargs for row in rows] == [{"args": [match.pk], "kwargs": {}}]
    mail.outbox.clear()

    run_worker()

    row = rows.get()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == 2
    escrow_mails = [m for m in mail.outbox if "report-together" in m.subject]
    assert sorted(m.to[0] for m in escrow_mails) == ["cora@acme.example", "dan@acme.example"]
    for message in escrow_mails:
        text = str(message.message())
        assert "/staff/escrow/" in text
        for secret in (CANARY, IDENTIFIER, "some.user", first.reference, second.reference,
                       str(first.pk), str(second.pk), bytes(match.match_index).hex()):
            assert secret not in text


@pytest.mark.django_db(transaction=True)
def test_it_sends_nothing_once_the_match_is_opened(channel, counsellors):  # noqa: F811
    someone = person()
    hold(channel, someone)
    hold(channel, someone)
    open_as(counsellors[0])
    assert EscrowMatch.objects.get().state == MatchState.RELEASED
    mail.outbox.clear()

    run_worker()

    assert not [m for m in mail.outbox if "report-together" in m.subject]
