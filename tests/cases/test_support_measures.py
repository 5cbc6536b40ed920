import pytest

from safelight.audit.models import Event
from safelight.cases.models import SupportMeasure
from tests.cases.conftest import submit
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
CANARY = "canary-measure-4417"


def test_it_records_a_measure_with_a_sealed_note(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/measures/", {
        "kind": "account_lockdown", "state": "offered", "note": f"Session booked {CANARY}",
    })
    assert response.status_code == 302
    measure = SupportMeasure.objects.get()
    assert measure.kind == "account_lockdown" and measure.state == "offered"
    assert CANARY.encode() not in bytes(measure.note)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert f"Session booked {CANARY}" in page
    assert "Help locking down accounts and devices" in page
    assert Event.objects.filter(action="report.measure.recorded").exists()


def test_it_updates_the_state_of_a_measure(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    client.post(f"/staff/reports/{report.pk}/measures/",
                {"kind": "change_of_team", "state": "offered"})
    measure = SupportMeasure.objects.get()
    response = client.post(f"/staff/reports/{report.pk}/measures/{measure.pk}/",
                           {f"{measure.pk}-state": "accepted"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.state == "accepted"
    assert Event.objects.filter(action="report.measure.accepted").exists()


def test_it_keeps_the_note_when_the_measure_is_missing(client, channel, hana):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/measures/",
                           {"kind": "", "state": "offered", "note": "keep me"})
    assert response.status_code == 400
    assert "keep me" in response.content.decode()
    assert not SupportMeasure.objects.exists()


def test_it_404s_for_a_handler_of_another_channel(client, channel, olga, other_channel):
    report, _receipt = submit(channel)
    sign_in(client, olga)
    assert client.post(f"/staff/reports/{report.pk}/measures/",
                       {"kind": "paid_leave", "state": "offered"}).status_code == 404
    assert not SupportMeasure.objects.exists()
