from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from safelight.crypto import generate_receipt
from safelight.reports.models import Message, Report
from tests.conftest import sign_in
from tests.intake import flow

WRONG = "We could not open a report with that receipt."


@pytest.fixture
def receipt(channel):
    return flow.report(Client(), channel, {1: {"q_what_happened": "Threats by text."}})


def open_report(client, receipt):
    response = client.post("/receipt/", {"receipt": receipt})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get("/receipt/report/")


def test_it_opens_the_report_with_the_receipt(client, receipt):
    page = open_report(client, receipt).content.decode()
    assert "Harassment at work" in page
    assert "New" in page
    assert "Acknowledge the report" in page
    assert "not yet due" in page


def test_it_accepts_the_receipt_without_spaces_or_with_dashes(client, receipt):
    digits = receipt.replace(" ", "")
    assert client.post("/receipt/", {"receipt": digits}).status_code == 302
    assert client.post("/receipt/", {"receipt": receipt.replace(" ", "-")}).status_code == 302


@pytest.mark.parametrize("kind", ["typo", "unknown", "garbage"])
def test_it_gives_one_generic_message_for_any_wrong_receipt(client, receipt, kind):
    wrong = {
        "typo": receipt[:-1] + str((int(receipt[-1]) + 1) % 10),
        "unknown": generate_receipt(),
        "garbage": "hello",
    }[kind]
    response = client.post("/receipt/", {"receipt": wrong})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert "safelight_report" not in response.cookies


def test_it_rate_limits_guessing_without_storing_the_address(receipt):
    # A client with an address of its own (the test client's 127.0.0.1 is the trusted proxy:
    # clients behind it without X-Forwarded-For share a larger pool, safelight.ratelimit).
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(10):
        assert WRONG in client.post("/receipt/", {"receipt": generate_receipt()}).content.decode()
    blocked = client.post("/receipt/", {"receipt": receipt}).content.decode()
    assert "too many tries" in blocked
    stored = b"".join(p.read_bytes() for p in Path(cache._dir).rglob("*") if p.is_file())
    assert stored  # the counters are there ...
    assert b"198.51.100.20" not in stored  # ... keyed by a hash, not by the address
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/receipt/", {"receipt": receipt}).status_code == 302


def test_it_shows_the_neutral_page_without_the_cookie(client):
    response = client.get("/receipt/report/")
    assert response.status_code == 410
    assert "This page is no longer available" in response.content.decode()


def test_it_refuses_a_forged_cookie(client, receipt):
    client.cookies["safelight_report"] = "AAAA"
    assert client.get("/receipt/report/").status_code == 410


def test_it_exchanges_messages_between_reporter_and_handler(client, receipt, hana):
    open_report(client, receipt)
    response = client.post("/receipt/report/", {"body": "He did it again today."})
    assert response.status_code == 302
    assert Message.objects.get().author is None
    staff = sign_in(Client(), hana)
    report = Report.objects.get()
    page = staff.get(f"/staff/reports/{report.pk}/").content.decode()
    assert "He did it again today." in page
    staff.post(f"/staff/reports/{report.pk}/reply/", {"body": "Could you tell us the app?"})
    page = client.get("/receipt/report/").content.decode()
    assert "Could you tell us the app?" in page
    assert "Acknowledged" in page
    assert "met" in page


def test_it_keeps_the_message_when_a_file_is_refused(client, receipt):
    open_report(client, receipt)
    response = client.post(
        "/receipt/report/",
        {
            "body": "Here is the screenshot.",
            "files": flow.upload("virus.exe", b"MZ\x90\x00" + b"\x00" * 100),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Here is the screenshot." in page
    assert "virus.exe" in page
    assert not Message.objects.exists()


def test_it_closes_the_report_on_this_device(client, receipt):
    open_report(client, receipt)
    client.post("/receipt/leave/")
    assert client.get("/receipt/report/").status_code == 410
