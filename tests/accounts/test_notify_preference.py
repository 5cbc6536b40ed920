"""Each handler chooses to hear of new reports and messages at once or in the daily digest."""

import pytest

from safelight.accounts.models import Handler, NotifyWhen
from safelight.audit.models import Event
from tests.conftest import sign_in
from tests.intake.conftest import hana  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_offers_the_choice_on_the_staff_home_page(client, hana):  # noqa: F811
    sign_in(client, hana)
    page = client.get("/staff/").content.decode()
    assert 'action="/staff/notifications/"' in page
    assert 'value="at_once"' in page and 'value="digest"' in page


def test_it_saves_the_choice_and_records_it(client, hana):  # noqa: F811
    sign_in(client, hana)
    response = client.post("/staff/notifications/", {"notify": "digest"})
    assert response.status_code == 302
    assert Handler.objects.get(pk=hana.pk).notify == NotifyWhen.DIGEST
    assert Event.objects.filter(action="handler.notify.change", actor=hana.user).exists()


def test_it_refuses_an_unknown_choice_on_the_same_page(client, hana):  # noqa: F811
    sign_in(client, hana)
    response = client.post("/staff/notifications/", {"notify": "never"})
    assert response.status_code == 400
    assert "Choose one of the two." in response.content.decode()
    assert Handler.objects.get(pk=hana.pk).notify == NotifyWhen.AT_ONCE


def test_it_sends_a_handler_without_an_address_to_set_their_own(client, hana):  # noqa: F811
    hana.user.email = ""
    hana.user.save(update_fields=["email"])
    sign_in(client, hana)
    page = client.get("/staff/").content.decode()
    assert "ask an administrator" not in page
    assert '<a href="/staff/email/">Add your own address</a>' in page
