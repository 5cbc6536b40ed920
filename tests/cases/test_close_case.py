import datetime

import pytest

from safelight.audit.models import Event
from safelight.cases.models import CheckIn, Outcome
from safelight.intake.models import Status
from tests.cases.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
CANARY = "canary-outcome-9931"


def _close(client, report, **data):
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
