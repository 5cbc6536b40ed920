"""A held "report together" report released from matching escrow becomes a case like any other:
its handlers get the same content-free new-report notice as for a report sent straight to the
channel (issue 13), queued by id when the release commits."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from safelight import notification_tasks
from safelight.reports.models import ReportKey
from tests.escrow.test_open_match import cora, hold, open_as, person  # noqa: F401
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    questionnaire,
    with_keys,
)
from tests.test_notifications import give_email

pytestmark = pytest.mark.django_db

NEW_REPORT = "safelight.notification_tasks.notify_new_report_task"


def test_it_queues_the_new_report_notice_for_each_released_report(
    channel, hana, ben, cora, django_capture_on_commit_callbacks  # noqa: F811
):
    canary = f"CANARY{uuid.uuid4().hex}"
    someone = person()
    steps = {1: {"q_what_happened": f"what {canary}"}}
    first, _ = hold(channel, someone, steps)
    second, _ = hold(channel, someone, steps)
    give_email(hana, ben, cora)
    DBTaskResult.objects.all().delete()  # whatever the sending queued: only the release counts

    with django_capture_on_commit_callbacks(execute=True):
        opening = open_as(cora)

    assert {r.pk for r in opening.released} == {first.pk, second.pk}
    rows = DBTaskResult.objects.filter(task_path=NEW_REPORT)
    assert sorted(row.args_kwargs["args"][0] for row in rows) == sorted(
        [str(first.pk), str(second.pk)])
    assert all(row.args_kwargs["kwargs"] == {} for row in rows)
    assert canary not in repr(list(DBTaskResult.objects.values()))

    # Running the queued tasks emails the released reports' key holders, and says nothing.
    for row in rows:
        notification_tasks.notify_new_report_task.call(*row.args_kwargs["args"])
    holders = {f"{u}@acme.example" for u in ReportKey.objects.filter(report=first)
               .values_list("handler__user__username", flat=True)}
    assert holders == {"hana@acme.example", "ben@acme.example"}
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([*holders, *holders])
    assert "cora@acme.example" not in {a for m in mail.outbox for a in m.to}
    for message in mail.outbox:
        assert message.subject == "Safelight: a new report"
        text = message.subject + message.body + str(message.message())
        assert canary not in text
        for report in (first, second):
            assert report.reference not in text and str(report.pk) not in text
            assert report.pk.hex not in text
        assert channel.name not in text
        assert message.attachments == []

