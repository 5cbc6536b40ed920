"""An administrator resets a handler's password or second factor: no silent takeover (issue 20)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts import actions
from safelight.accounts.actions import create_handler
from safelight.accounts.models import AccountReset
from safelight.audit.models import Event
from safelight.intake.setup_actions import create_channel, create_default_questionnaire
from safelight.reports.access import readers
from safelight.reports.models import Channel, Recipient
from tests.conftest import PASSWORD, sign_in, totp_code

pytestmark = pytest.mark.django_db

TEMPORARY = "a temporary passphrase 2026"


@pytest.fixture
def hana(organisation):
    handler = create_handler(organisation=organisation, username="hana", password=PASSWORD)
    handler.own_email = "hana@own.example"
    handler.save()
    return handler


@pytest.fixture
def channel(organisation, hana, administrator) -> Channel:
    questionnaire = create_default_questionnaire(organisation=organisation, name="Default")
    return create_channel(organisation=organisation, name="Work", slug="work", position=0,
                          description="About work.", who_reads="Two people.",
                          questionnaire=questionnaire, recipients=[(hana, True)])


def _reset(client, hana, kind="both", password=TEMPORARY, capture=None):
    url = reverse("admin:accounts_handler_reset", args=[hana.pk])
    with capture(execute=True):
        return client.post(url, {"kind": kind, "new_password": password})


def _link(mail) -> str:
    return re.search(r"http\S*/staff/reset/(\S+)/", mail.body).group(0)


def test_it_resets_through_the_admin_with_an_audit_event_and_an_email(
    staff_client, administrator, hana, mailoutbox, django_capture_on_commit_callbacks
):
    TOTPDevice.objects.create(user=hana.user, name="app", confirmed=True)
    response = _reset(staff_client, hana, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=hana.user).exists()
    event = Event.objects.get(action="handler.reset.both")
    assert (event.actor, event.target_id) == (administrator.user, str(hana.pk))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["hana@own.example"]  # the handler's own address, not the admin's
    assert "ada" in mail.body and "/staff/reset/" in mail.body
    reset = AccountReset.objects.get()
    assert reset.pending and reset.token_hash not in mail.body  # only the hash is stored
    assert _link(mail).rstrip("/").rsplit("/", 1)[1] not in reset.token_hash


def test_it_keeps_the_account_closed_until_the_handler_confirms(
    client, staff_client, hana, mailoutbox, django_capture_on_commit_callbacks
):
    _reset(staff_client, hana, kind="password", capture=django_capture_on_commit_callbacks)
    device = TOTPDevice.objects.create(user=hana.user, name="app", confirmed=True)
    staff_client.post("/staff/sign-out/")
    data = {"username": "hana", "password": TEMPORARY, "code": totp_code(device)}
    refused = client.post("/staff/sign-in/", data)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "confirm it through the link" in refused.content.decode()

    link = _link(mailoutbox[0])
    page = client.get(link)  # a GET alone confirms nothing
    assert page.status_code == 200 and AccountReset.objects.get().pending
    assert client.post(link).status_code == 200
    assert not AccountReset.objects.get().pending
    assert client.post(link).status_code == 404  # single use
    assert Event.objects.filter(action="handler.reset.confirm", actor=hana.user).exists()

    device.last_t = -1
    device.save()
    response = client.post("/staff/sign-in/", data, follow=True)
    page = response.content.decode()
    assert "ada" in page and "reset your password" in page  # the banner: who, what, when
    client.post("/staff/sign-out/")
    device.last_t = -1
    device.save()
    again = client.post("/staff/sign-in/", data, follow=True).content.decode()
    assert "reset your password" not in again  # shown once


def test_it_seals_no_report_to_an_account_whose_reset_is_pending(
    staff_client, hana, channel, django_capture_on_commit_callbacks
):
    actions.sign_in_handler(handler=hana, password=PASSWORD)  # hana has a key pair
    assert [r.handler for r in readers(channel, {})] == [hana]
    _reset(staff_client, hana, kind="password", capture=django_capture_on_commit_callbacks)
    # The new key pair (made at the next sign-in) gets nothing, nor does the old one, until then.
    assert readers(channel, {}) == []
    actions.confirm_reset(token=_token_of_latest(staff_client, hana))
    assert [r.handler for r in readers(channel, {})] == [hana]
    assert Recipient.objects.filter(channel=channel, handler=hana).exists()


def _token_of_latest(_client, hana) -> str:
    from django.core import mail

    return _link(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[1]


def test_it_refuses_a_reset_nobody_could_confirm(staff_client, hana):
    hana.own_email = ""
    hana.save()
    response = staff_client.post(reverse("admin:accounts_handler_reset", args=[hana.pk]),
                                 {"kind": "second_factor"})
    assert response.status_code == 200
    assert "has not given their own email address" in response.content.decode()
    assert not AccountReset.objects.exists()


def test_it_opens_when_the_named_approver_approves(
    client, organisation, administrator, hana, django_capture_on_commit_callbacks
):
    hana.own_email = ""
    hana.save()
    approver = create_handler(organisation=organisation, username="abe", password=PASSWORD,
                              administrator=True)
    organisation.reset_approver = approver
    organisation.save()
    reset = actions.reset_handler_account(handler=hana, kind="second_factor",
                                          actor=administrator.user)
    with pytest.raises(actions.ResetRefused):
        actions.approve_reset(reset=reset, actor=administrator.user)  # not by the one who reset
    sign_in(client, approver)
    changelist = reverse("admin:accounts_accountreset_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [reset.pk]})
    reset.refresh_from_db()
    assert reset.approved_by == approver.user and not reset.pending
    assert Event.objects.filter(action="handler.reset.approve", actor=approver.user).exists()


def test_it_lets_no_administrator_edit_the_handlers_own_address(staff_client, hana):
    page = staff_client.get(reverse("admin:accounts_handler_change", args=[hana.pk]))
    assert "own_email" not in page.context["adminform"].form.fields
    staff_client.post(reverse("admin:accounts_handler_change", args=[hana.pk]),
                      {"display_name": "Hana", "own_email": "attacker@example.com"})
    hana.refresh_from_db()
    assert hana.own_email == "hana@own.example"


def test_it_lets_the_handler_set_their_own_address(client, hana):
    sign_in(client, hana)
    response = client.post("/staff/email/", {"email": "new@own.example"})
    assert response.status_code == 302
    hana.refresh_from_db()
    assert hana.own_email == "new@own.example"
    bad = client.post("/staff/email/", {"email": "not an address"})
    assert bad.status_code == 200 and 'value="not an address"' in bad.content.decode()
