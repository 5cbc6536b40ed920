"""The locker's two secret doors (safelight.secret_door): the passphrase door and the share door.

Each one charges a try before trying it, says so plainly once the budget is spent, refunds a right
secret, tells a wrong one a neutral message, and answers 200 whatever happened.
"""

import pytest
from django.test import Client

from safelight import ratelimit
from safelight.crypto.passphrases import generate_passphrase
from safelight.evidence import session
from safelight.evidence.opened import OpenLocker
from tests.evidence.test_staff_views import report, submitted  # noqa: F401
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
)

TOO_MANY = ("There have been too many tries from here. For your safety, please wait an hour and "
            "try again.")
IN_DANGER = "If you are in danger now, contact emergency services."
NO_LOCKER = "We could not open a locker with that passphrase. Check each word and try again."
NO_REPORT = "We could not find a report with that receipt. Check the digits."


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client_with(opened: OpenLocker, address: str) -> Client:
    """A browser from its own address (its own budget) with the locker open."""
    client = Client(REMOTE_ADDR=address)
    response = client.get("/")
    session.keep_open(response, opened)
    client.cookies[session.COOKIE] = response.cookies[session.COOKIE].value
    return client


@pytest.mark.django_db
def test_the_passphrase_door_refunds_a_right_passphrase_and_stops_at_the_limit(locker):
    _opened, passphrase = locker
    wrong = generate_passphrase()
    client = Client(REMOTE_ADDR="198.51.100.50")
    for _ in range(ratelimit.GUESS_LIMIT - 1):
        page = client.post("/locker/", {"passphrase": wrong})
        assert page.status_code == 200
        assert page.context["form"].non_field_errors() == [NO_LOCKER]
    right = client.post("/locker/", {"passphrase": passphrase})
    assert right.status_code == 302 and right["Location"] == "/locker/home/"
    client.post("/locker/close/")
    last = client.post("/locker/", {"passphrase": wrong})  # the right one cost nothing
    assert last.context["form"].non_field_errors() == [NO_LOCKER]
    refused = client.post("/locker/", {"passphrase": passphrase})
    assert refused.status_code == 200  # refused before it is tried: the locker stays shut
    assert refused.context["form"].non_field_errors() == [f"{TOO_MANY} {IN_DANGER}"]
    assert session.COOKIE not in refused.cookies


@pytest.mark.django_db
def test_the_share_door_tells_a_wrong_receipt_on_its_field_and_stops_at_the_limit(
    locker, submitted  # noqa: F811
):
    opened, _passphrase = locker
    _report, receipt = submitted
    client = _client_with(opened, "198.51.100.51")
    for _ in range(ratelimit.GUESS_LIMIT - 1):
        page = client.post("/locker/share/", {"receipt": "1234-5678"})
        assert page.status_code == 200
        assert page.context["form"].errors["receipt"] == [NO_REPORT]
    shared = client.post("/locker/share/", {"receipt": receipt})
    assert shared.status_code == 302 and shared["Location"] == "/locker/share/"
    last = client.post("/locker/share/", {"receipt": "1234-5678"})  # the right one was free
    assert last.context["form"].errors["receipt"] == [NO_REPORT]
    refused = client.post("/locker/share/", {"receipt": receipt})
    assert refused.status_code == 200
    assert TOO_MANY in refused.context["form"].non_field_errors()
    assert "receipt" not in refused.context["form"].errors
