"""After a handler's key pair is replaced, a report sealed to the earlier key says so, and who can
open it, instead of answering 500 (issue 20, item 11)."""

from django.test import Client

from tests.cases.conftest import *  # noqa: F403
from tests.conftest import sign_in

NEW_PASSWORD = "a different long password 2"


def test_it_says_this_key_cannot_open_the_report_and_who_can(hana, ben, report):
    # A password reset the handler did not do themselves: the old private key is lost, and the
    # next sign-in makes a new key pair (audited as handler.keys.replace).
    hana.user.set_password(NEW_PASSWORD)
    hana.user.save()
    client = sign_in(Client(), hana, password=NEW_PASSWORD)
    response = client.get(f"/staff/reports/{report.pk}/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your key cannot open this report" in page
    assert "ben" in page  # ben's key pair was never replaced: his key opens it
    assert "hana" not in page.split('id="key-cannot-open"')[1]


def test_it_still_opens_the_report_for_a_handler_whose_key_was_not_replaced(ben, report):
    client = sign_in(Client(), ben)
    assert client.get(f"/staff/reports/{report.pk}/").status_code == 200
