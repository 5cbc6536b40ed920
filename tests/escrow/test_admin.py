"""The staff administration of "report together": counsellors of the organisation only, a phone
region that exists, a note when it cannot be offered yet; entries and matches are not there."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages

from safelight.accounts.actions import create_handler, create_organisation
from safelight.audit.models import Event
from safelight.escrow.admin import known_region
from safelight.escrow.models import EscrowEntry, EscrowMatch, EscrowSettings, EscrowShare
from tests.conftest import PASSWORD, sign_in
from tests.intake.conftest import hana, with_keys  # noqa: F401

ADD = "/staff/admin/escrow/escrowsettings/add/"


def change_url(found: EscrowSettings) -> str:
    return f"/staff/admin/escrow/escrowsettings/{found.pk}/change/"


def notes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client(client, administrator):
    return sign_in(client, administrator)


def test_it_adds_settings_with_a_counsellor_and_records_it(
    admin_client, organisation, hana, key_services  # noqa: F811
):
    response = admin_client.post(ADD, {"organisation": organisation.pk, "enabled": "on",
                                       "phone_region": "gb", "counsellors": [hana.pk]},
                                 follow=True)
    assert response.status_code == 200
    found = EscrowSettings.objects.get()
    assert (found.enabled, found.phone_region) == (True, "GB")
    assert list(found.counsellors.all()) == [hana]
    assert Event.objects.filter(action="escrowsettings.create", organisation=organisation).exists()
    assert not [n for n in notes(response) if "Report together" in n]


def test_it_refuses_a_counsellor_of_another_organisation(
    admin_client, organisation, hana  # noqa: F811
):
    elsewhere = create_organisation(name="Elsewhere", slug="elsewhere")
    olga = create_handler(organisation=elsewhere, username="olga", password=PASSWORD)
    response = admin_client.post(ADD, {"organisation": organisation.pk,
                                       "counsellors": [hana.pk, olga.pk]})
    assert response.status_code == 200
    # An organisation administrator is not even offered another organisation's handlers.
    assert "counsellors" in response.context["adminform"].form.errors
    assert "olga" not in response.content.decode()
    assert not EscrowSettings.objects.exists()


def test_it_offers_only_the_organisations_handlers_on_change(
    admin_client, organisation, hana  # noqa: F811
):
    elsewhere = create_organisation(name="Elsewhere", slug="elsewhere")
    olga = create_handler(organisation=elsewhere, username="olga", password=PASSWORD)
    found = EscrowSettings.objects.create(organisation=organisation)
    page = admin_client.get(change_url(found))
    choices = page.context["adminform"].form.fields["counsellors"].queryset
    assert hana in choices and olga not in choices
    response = admin_client.post(change_url(found), {"counsellors": [olga.pk]})
    assert response.status_code == 200
    assert not found.counsellors.exists()


@pytest.mark.parametrize("region", ["XX", "G1", "GBR", "G", "ÜK"])
def test_it_refuses_a_phone_region_that_is_not_a_country(admin_client, organisation, region):
    response = admin_client.post(ADD, {"organisation": organisation.pk, "phone_region": region})
    assert response.status_code == 200
    assert "phone_region" in response.context["adminform"].form.errors
    if len(region) == 2:
        assert "two-letter code, for example GB" in response.content.decode()
    assert not EscrowSettings.objects.exists()


def test_it_knows_country_codes():
    assert known_region("DE") and known_region("KE")
    assert not known_region("XX") and not known_region("G1")
    assert not known_region("de") and not known_region("")


def test_it_notes_when_it_cannot_be_offered_yet(
    admin_client, organisation, hana, settings  # noqa: F811
):
    settings.SAFELIGHT_KEY_SERVICES = []
    newcomer = create_handler(organisation=organisation, username="newcomer", password=PASSWORD)
    response = admin_client.post(ADD, {"organisation": organisation.pk, "enabled": "on",
                                       "counsellors": [newcomer.pk]}, follow=True)
    said = " ".join(notes(response))
    assert "two key services are not configured" in said
    assert "no counsellor has signed in yet" in said
    assert EscrowSettings.objects.get().enabled  # saved all the same


def test_it_names_counsellors_who_have_not_signed_in_yet(
    admin_client, organisation, hana, key_services  # noqa: F811
):
    newcomer = create_handler(organisation=organisation, username="newcomer", password=PASSWORD)
    response = admin_client.post(ADD, {"organisation": organisation.pk, "enabled": "on",
                                       "counsellors": [hana.pk, newcomer.pk]}, follow=True)
    said = " ".join(notes(response))
    assert "Not yet signed in: newcomer." in said
    assert "two key services" not in said


def test_it_cannot_be_deleted_and_keeps_its_organisation(
    admin_client, organisation, hana  # noqa: F811
):
    found = EscrowSettings.objects.create(organisation=organisation)
    assert admin_client.post(f"/staff/admin/escrow/escrowsettings/{found.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    elsewhere = create_organisation(name="Elsewhere", slug="elsewhere")
    admin_client.post(change_url(found), {"organisation": elsewhere.pk, "phone_region": "FR"})
    found.refresh_from_db()
    assert (found.organisation, found.phone_region) == (organisation, "FR")
    assert Event.objects.filter(action="escrowsettings.change").exists()


def test_entries_and_matches_are_not_in_the_admin():
    for model in (EscrowEntry, EscrowShare, EscrowMatch):
        assert not admin.site.is_registered(model)


def test_a_handler_who_is_not_an_administrator_cannot_open_it(client, hana):  # noqa: F811
    sign_in(client, with_keys(hana))
    assert client.get(ADD).status_code in (302, 403)
