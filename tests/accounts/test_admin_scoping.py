"""Organisations kept apart in the staff administration (issue 20, item 1).

Walks every registered ModelAdmin's pages (list, add, change, delete, history, and each list
action by POST) as an administrator of organisation A against the objects of organisation B,
and as a handler without the administrator role: every answer is a refusal (403, 404, or a
redirect), never a page with B's data, and nothing of B changes.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts.actions import create_handler, create_operator, create_organisation
from safelight.accounts.admin_scoping import organisation_path, scope_queryset
from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record
from safelight.audit.models import Event
from safelight.cases.models import ReplyTemplate
from safelight.escrow.models import EscrowSettings
from safelight.intake.setup_actions import create_channel, create_default_questionnaire
from safelight.referrals.models import Service
from safelight.reports.models import Channel, Question, Questionnaire, Step
from safelight.triage.actions import install_default_checklist
from safelight.triage.models import RiskChecklistTranslation
from tests.conftest import PASSWORD, sign_in, totp_code

pytestmark = pytest.mark.django_db

MARK = "Zebracorn"  # in the names of organisation B's objects: never on A's pages


def _seed(organisation: Organisation, handler: Handler) -> None:
    questionnaire = create_default_questionnaire(organisation=organisation,
                                                 name=f"{MARK} questions")
    create_channel(organisation=organisation, name=f"{MARK} channel", slug="zebra-channel",
                   position=0, description="About work.", who_reads="Two people.",
                   questionnaire=questionnaire,
                   recipients=[(handler, True)])
    install_default_checklist(organisation=organisation)
    RiskChecklistTranslation.objects.filter(master__organisation=organisation).update(
        name=f"{MARK} checklist")
    ReplyTemplate.objects.create(organisation=organisation, kind="acknowledgement",
                                 name=f"{MARK} template", language="en", body="Thanks.")
    Service.objects.create(organisation=organisation, name=f"{MARK} service")
    EscrowSettings.objects.create(organisation=organisation)
    record(action=f"{MARK.lower()}.event", organisation=organisation, target=handler)


@pytest.fixture
def two_organisations(db):
    a = create_organisation(name="Alpha Org", slug="alpha")
    b = create_organisation(name=f"{MARK} Org", slug="zebra")
    admin_a = create_handler(organisation=a, username="alpha-admin", password=PASSWORD,
                             administrator=True)
    handler_a = create_handler(organisation=a, username="alpha-handler", password=PASSWORD)
    handler_b = create_handler(organisation=b, username="zebra-handler", password=PASSWORD)
    handler_b.display_name = f"{MARK} person"
    handler_b.save()
    _seed(b, handler_b)
    return a, b, admin_a, handler_a, handler_b


def _objects_of(organisation: Organisation):
    """Every object of `organisation`, for every registered ModelAdmin."""
    for model, model_admin in admin.site._registry.items():
        path = organisation_path(model)
        assert path is not None, f"{model._meta.label} has no way to an organisation"
        rows = scope_queryset(model._default_manager.all(), organisation)[:3]
        for obj in rows:
            yield model, model_admin, obj


def _snapshot(organisation: Organisation) -> dict:
    return {
        (model._meta.label, obj.pk): repr(
            model._default_manager.filter(pk=obj.pk).values().first()
        )
        for model, _admin, obj in _objects_of(organisation)
    }


def _refused(response, mark: str = MARK) -> None:
    assert response.status_code in (302, 403, 404), (response.status_code, response.request)
    assert mark not in response.content.decode()
    if response.status_code == 302:
        assert "/change/" not in response["Location"] or "zebra" not in response["Location"]


def _walk(client, organisation: Organisation) -> int:
    walked = 0
    for model, model_admin, obj in _objects_of(organisation):
        info = (model._meta.app_label, model._meta.model_name)
        for name in ("change", "delete", "history"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{name}", args=[obj.pk])
            _refused(client.get(url))
            _refused(client.post(url, {"post": "yes", "name": "hijacked"}))
            walked += 1
        changelist = reverse(f"admin:{info[0]}_{info[1]}_changelist")
        for action in model_admin.get_actions(_FakeRequest(client)) or ["delete_selected"]:
            response = client.post(changelist, {
                "action": action, admin.helpers.ACTION_CHECKBOX_NAME: [obj.pk],
                "index": 0, "post": "yes",
            })
            assert MARK not in response.content.decode()
            walked += 1
    return walked


class _FakeRequest:
    """get_actions needs a request whose user is the administrator of A."""

    def __init__(self, client) -> None:
        from django.contrib.auth import get_user

        self.user = get_user(client)
        self.GET: dict = {}
        self.POST: dict = {}


def test_it_refuses_every_page_of_another_organisation_to_an_administrator(
    client, two_organisations
):
    _a, b, admin_a, _handler_a, _handler_b = two_organisations
    sign_in(client, admin_a)
    before = _snapshot(b)
    assert before, "organisation B has objects to walk"
    assert _walk(client, b) > 20
    assert _snapshot(b) == before  # nothing of B changed or went away

    # Lists, the add pages' choices, filters and autocompletes show nothing of B.
    for model, _model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        if listing.status_code == 200:
            assert MARK not in listing.content.decode(), model._meta.label
        add = client.get(reverse(f"admin:{info[0]}_{info[1]}_add"))
        assert add.status_code in (200, 403), model._meta.label
        assert MARK not in add.content.decode(), model._meta.label
    autocomplete = client.get("/staff/admin/autocomplete/", {
        "app_label": "intake", "model_name": "recipient", "field_name": "handler", "term": "",
    })
    assert autocomplete.status_code == 200
    assert "zebra" not in autocomplete.content.decode().lower()
    assert "alpha-handler" in autocomplete.content.decode()


def test_it_refuses_a_channel_with_another_organisations_handler_or_questionnaire(
    client, two_organisations
):
    _a, b, admin_a, _handler_a, handler_b = two_organisations
    sign_in(client, admin_a)
    response = client.post(reverse("admin:intake_channel_add"), {
        "organisation": b.pk, "name": "Sneaky", "slug": "sneaky", "position": 0,
        "questionnaire": Questionnaire.objects.get(organisation=b).pk,
        "acknowledge_days": 7, "feedback_days": 90, "checkin_days": "30",
        "max_file_mb": 20, "max_report_mb": 100,
        "recipient_set-TOTAL_FORMS": 1, "recipient_set-INITIAL_FORMS": 0,
        "recipient_set-0-handler": handler_b.pk, "recipient_set-0-role": "coordinator",
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "organisation" in errors and "questionnaire" in errors
    assert not Channel.objects.filter(translations__name="Sneaky").exists()


def test_it_lists_only_the_own_organisation_to_its_administrator(client, two_organisations):
    a, _b, admin_a, _handler_a, _handler_b = two_organisations
    sign_in(client, admin_a)
    listing = client.get(reverse("admin:accounts_organisation_changelist")).content.decode()
    assert "Alpha Org" in listing and MARK not in listing
    assert client.get(reverse("admin:accounts_organisation_add")).status_code == 403
    page = client.get(reverse("admin:accounts_organisation_change", args=[a.pk]))
    assert page.status_code == 200
    # Only the platform operator names who approves resets.
    assert "reset_approver" not in page.context["adminform"].form.fields
    events = client.get(reverse("admin:audit_event_changelist")).content.decode()
    assert MARK.lower() not in events


def test_it_keeps_raw_user_group_and_device_admins_unreachable(client, two_organisations):
    _a, _b, admin_a, _handler_a, handler_b = two_organisations
    sign_in(client, admin_a)
    for url in ("/staff/admin/auth/user/", f"/staff/admin/auth/user/{handler_b.user.pk}/password/",
                "/staff/admin/auth/group/", "/staff/admin/otp_totp/totpdevice/"):
        assert client.get(url).status_code == 404, url


def test_it_refuses_a_handler_who_is_not_an_administrator(client, two_organisations):
    a, _b, _admin_a, handler_a, _handler_b = two_organisations
    sign_in(client, handler_a)
    assert client.get("/staff/admin/")["Location"].startswith("/staff/admin/login/")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"]
    for model, _model_admin, obj in _objects_of(a):
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
        response = client.post(url, {"name": "hijacked"})
        assert response.status_code == 302 and "/login/" in response["Location"]
    # The admin's own sign-in address says why, instead of showing the sign-in page again.
    response = client.get("/staff/admin/", follow=True)
    assert response.status_code == 403
    assert "your role has no administration" in response.content.decode()
    assert 'href="/staff/"' in response.content.decode()


def test_it_sends_a_handler_who_is_not_signed_in_to_the_sign_in_page(client, two_organisations):
    assert client.get("/staff/admin/login/")["Location"].startswith("/staff/sign-in/")


def test_it_lets_an_operator_manage_organisations_without_being_a_handler(client, db):
    create_organisation(name=f"{MARK} Org", slug="zebra")
    operator = create_operator(username="olive", password=PASSWORD)
    assert not Handler.objects.filter(user=operator).exists()
    device = TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    response = client.post("/staff/sign-in/", {"username": "olive", "password": PASSWORD,
                                               "code": totp_code(device)})
    assert response["Location"] == "/staff/admin/"
    assert MARK in client.get(reverse("admin:accounts_organisation_changelist")).content.decode()
    assert client.get(reverse("admin:accounts_organisation_add")).status_code == 200
    # No report access: the handler pages send the operator away.
    assert client.get("/staff/reports/").status_code == 302


def test_it_finds_an_organisation_for_every_administered_model():
    for model in admin.site._registry:
        assert organisation_path(model) is not None, model._meta.label
    assert organisation_path(Question) == "step__questionnaire__organisation"
    assert organisation_path(Step) == "questionnaire__organisation"
    assert organisation_path(Event) == "organisation"
