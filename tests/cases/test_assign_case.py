import pytest
from django.test import Client

from safelight.audit.models import Event
from safelight.cases.access import eligible_assignees
from safelight.cases.actions import NotAllowed, assign_case
from safelight.crypto import open_sealed, unwrap_private_key
from safelight.reports.models import ReportKey
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _private_key(handler):
    handler.refresh_from_db()
    return unwrap_private_key(bytes(handler.wrapped_private_key), PASSWORD)


def test_it_seals_the_report_key_to_an_external_investigator_on_assignment(channel, hana, eve):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    assert not ReportKey.objects.filter(report=report, handler=eve).exists()

    assign_case(opened=opened, assignee=eve, by=hana)

    key = ReportKey.objects.get(report=report, handler=eve)
    assert open_sealed(_private_key(eve), bytes(key.sealed_report_key)) == opened.report_key
    assert key.sealed_identity_key is None  # eve's recipient row does not see identities
    report.refresh_from_db()
    assert report.assignee == eve
    assert Event.objects.filter(action="report.assign", actor=hana.user).exists()


def test_it_takes_the_key_back_from_an_external_investigator_moved_off_the_case(
    channel, hana, ben, eve
):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    assign_case(opened=opened, assignee=eve, by=hana)
    assign_case(opened=opened, assignee=ben, by=hana)
    assert not ReportKey.objects.filter(report=report, handler=eve).exists()
    assert ReportKey.objects.filter(report=report, handler=ben).exists()


def test_it_keeps_the_key_of_an_internal_handler_moved_off_the_case(channel, hana, ben):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    assign_case(opened=opened, assignee=ben, by=hana)
    assign_case(opened=opened, assignee=None, by=hana)
    report.refresh_from_db()
    assert report.assignee is None
    assert ReportKey.objects.filter(report=report, handler=ben).exists()


def test_it_never_assigns_or_seals_to_a_handler_the_reporter_excluded(channel, hana, ben):
    report, receipt = submit(channel, {3: {"q_excluded": [str(ben.pk)]}})
    opened = opened_with_receipt(receipt)
    assert ben.pk not in [r.handler_id for r in eligible_assignees(opened)]
    with pytest.raises(NotAllowed):
        assign_case(opened=opened, assignee=ben, by=hana)
    assert not ReportKey.objects.filter(report=report, handler=ben).exists()
    report.refresh_from_db()
    assert report.assignee is None


def test_it_lets_only_coordinators_assign(channel, ivan, hana):
    _report, receipt = submit(channel)
    with pytest.raises(NotAllowed):
        assign_case(opened=opened_with_receipt(receipt), assignee=hana, by=ivan)


def test_it_assigns_through_the_case_page(client, channel, hana, eve):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'name="assignee"' in page and "eve" in page
    response = client.post(f"/staff/reports/{report.pk}/assign/", {"assignee": eve.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == eve

    eve_client = sign_in(Client(), eve)
    assert eve_client.get(f"/staff/reports/{report.pk}/").status_code == 200
    assert report.reference in eve_client.get("/staff/reports/").content.decode()


def test_it_refuses_a_handler_who_is_not_offered(client, channel, hana, olga, other_channel):
    report, _receipt = submit(channel)
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/assign/", {"assignee": olga.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ReportKey.objects.filter(report=report, handler=olga).exists()


def test_it_hides_the_assign_form_from_an_investigator(client, channel, ivan):
    report, _receipt = submit(channel)
    sign_in(client, ivan)
    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'name="assignee"' not in page
    response = client.post(f"/staff/reports/{report.pk}/assign/", {"assignee": ivan.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee is None


def _reset_pending(handler, by):
    """An administrator reset the handler's second factor; the handler has not confirmed yet."""
    from safelight.accounts.actions import reset_handler_account

    handler.own_email = f"{handler.user.username}@own.example"
    handler.save(update_fields=["own_email"])
    return reset_handler_account(handler=handler, kind="second_factor", actor=by.user)


def test_it_refuses_to_assign_to_a_handler_whose_reset_waits_for_confirmation(
    channel, hana, ben, eve
):
    report, receipt = submit(channel)
    opened = opened_with_receipt(receipt)
    reset = _reset_pending(eve, by=ben)

    with pytest.raises(NotAllowed) as refused:
        assign_case(opened=opened, assignee=eve, by=hana)

    assert str(refused.value) == (
        "This person's account was reset and is waiting for their confirmation."
    )
    assert not ReportKey.objects.filter(report=report, handler=eve).exists()
    report.refresh_from_db()
    assert report.assignee is None
    # Once the handler confirms, the case can go to them.
    type(reset).objects.filter(pk=reset.pk).update(confirmed_at=report.submitted_at)
    assign_case(opened=opened, assignee=eve, by=hana)
    assert ReportKey.objects.filter(report=report, handler=eve).exists()


def test_it_tells_the_coordinator_why_on_the_case_page(client, channel, hana, ben, eve):
    report, _receipt = submit(channel)
    _reset_pending(eve, by=ben)
    sign_in(client, hana)
    response = client.post(f"/staff/reports/{report.pk}/assign/", {"assignee": eve.pk},
                           follow=True)
    assert "waiting for their confirmation" in response.content.decode().replace("&#x27;", "'")
    assert not ReportKey.objects.filter(report=report, handler=eve).exists()
    report.refresh_from_db()
    assert report.assignee is None
