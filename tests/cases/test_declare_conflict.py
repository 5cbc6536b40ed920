import pytest

from safelight.audit.models import Event
from safelight.cases.actions import NotAllowed, assign_case, declare_conflict
from safelight.cases.models import Conflict
from safelight.reports.models import Message, ReportKey
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_it_takes_the_key_away_and_404s_for_the_declaring_handler(client, channel, ben, hana):
    report, _receipt = submit(channel)
    sign_in(client, ben)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 200

    response = client.post(f"/staff/reports/{report.pk}/conflict/", {"confirm": "on"})

    assert response.status_code == 302
    assert Conflict.objects.filter(report=report, handler=ben).exists()
    assert not ReportKey.objects.filter(report=report, handler=ben).exists()
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
    assert report.reference not in client.get("/staff/reports/").content.decode()
    assert client.post(f"/staff/reports/{report.pk}/reply/", {"body": "x"}).status_code == 404
    assert not Message.objects.exists()
    assert Event.objects.filter(action="report.conflict.declared", actor=ben.user).exists()


def test_it_asks_for_confirmation_and_changes_nothing_without_it(client, channel, ben):
    report, _receipt = submit(channel)
    sign_in(client, ben)
    response = client.post(f"/staff/reports/{report.pk}/conflict/", {})
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    assert ReportKey.objects.filter(report=report, handler=ben).exists()


def test_it_unassigns_and_never_reseals_to_a_conflicted_handler(channel, hana, ben):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    assign_case(opened=opened, assignee=ben, by=hana)
    declare_conflict(report=report, handler=ben)
    report.refresh_from_db()
    assert report.assignee is None
    with pytest.raises(NotAllowed):
        assign_case(opened=opened, assignee=ben, by=hana)
    assert not ReportKey.objects.filter(report=report, handler=ben).exists()


def test_it_keeps_the_report_hidden_even_if_a_key_reappears(client, channel, ben):
    """access.py checks the conflict itself, not only the missing key."""
    report, _receipt = submit(channel)
    key = ReportKey.objects.get(report=report, handler=ben)
    declare_conflict(report=report, handler=ben)
    key.pk = None
    key.save()
    sign_in(client, ben)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 404
