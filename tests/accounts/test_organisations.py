import pytest
from django.core.exceptions import ValidationError

from safelight.accounts.actions import create_organisation, save_organisation
from safelight.accounts.models import Organisation
from safelight.audit.models import Event


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["staff", "static", "help"])
def test_it_refuses_an_address_that_safelight_uses_itself(slug):
    with pytest.raises(ValidationError, match="used by Safelight itself"):
        create_organisation(name="Clash", slug=slug)
    assert not Organisation.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_it_records_creation_and_change(organisation, administrator):
    organisation.name = "Acme Platform Trust & Safety"
    save_organisation(organisation=organisation, actor=administrator.user)
    actions = list(Event.objects.order_by("id").values_list("action", "actor__username"))
    assert actions[0] == ("organisation.create", None)
    assert ("organisation.change", "ada") in actions


@pytest.mark.django_db
def test_it_audits_an_edit_made_in_the_staff_administration(
    organisation, administrator, staff_client
):
    response = staff_client.post(
        f"/staff/admin/accounts/organisation/{organisation.pk}/change/",
        {
            "name": "Acme Renamed",
            "slug": "acme",
            "default_language": "en",
            "introduction": "",
            "urgent_help": "",
            "page_title": "",
            "quick_exit_url": "weather.example",
        },
    )
    assert response.status_code == 302, response.content
    organisation.refresh_from_db()
    assert organisation.name == "Acme Renamed"
    assert organisation.quick_exit_url == "https://weather.example"
    assert Event.objects.filter(action="organisation.change", actor=administrator.user).exists()
