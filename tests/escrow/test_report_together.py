"""The reporter holds a report until someone else names the same person (no JavaScript)."""

import pytest
from django.test import Client

from safelight.escrow.models import EntryPath, EscrowEntry, EscrowMatch, MatchState
from safelight.reports.models import Report, ReportKey, Status
from safelight.reports.sealing import b64
from tests.escrow.helpers import (
    TOGETHER_STEP,
    add_identifier,
    expected_output,
    held_report,
    offer_together,
)
from tests.intake import flow
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(organisation, key_services):
    return offer_together(organisation)


def test_it_does_not_ask_when_the_organisation_does_not_offer_it(channel):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, TOGETHER_STEP)).content.decode()
    assert "q_together" not in page and "together_kind" not in page


def test_it_explains_the_choice_in_plain_words(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    response = client.get(flow.step_url(channel, TOGETHER_STEP))
    page = response.content.decode()
    assert "q_together" in page and 'name="together_kind"' in page
    for words in ("What is held", "Who can see what", "If someone else names the same person",
                  "withdraw"):
        assert words in page
    assert "wasm-unsafe-eval" in response["Content-Security-Policy"]


def test_it_holds_the_report_and_keeps_no_identifier(channel, carla, key_services):  # noqa: F811
    report, receipt = held_report(channel, [("instagram", "@some.user")])
    assert report.status == Status.HELD and report.next_deadline is None
    assert not ReportKey.objects.filter(report=report).exists()
    entry = EscrowEntry.objects.get(report=report)
    assert entry.path == EntryPath.SERVER
    assert entry.shares.get().counsellor == carla
    assert not EscrowMatch.objects.exists()
    page = Client().post("/receipt/", {"receipt": receipt}, follow=True).content.decode()
    assert "Held." in page and "Withdraw my report" in page
    assert 'name="body"' not in page  # no message form while no one can read it


def test_the_receipt_page_says_the_report_is_held(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    for number in range(1, 7):
        data = {"q_together": "yes"} if number == TOGETHER_STEP else {}
        if number == TOGETHER_STEP:
            add_identifier(client, channel, "email", "Someone@Example.org")
        flow.answer(client, channel, number, data)
    review = client.get(flow.review_url(channel)).content.decode()
    assert "Details you gave to recognise the person: Email address" in review
    page = client.post(flow.review_url(channel)).content.decode()
    assert "held, encrypted, until someone else names the same person" in page


def test_two_spellings_of_the_same_profile_make_a_match(channel, carla, django_capture_on_commit_callbacks):  # noqa: E501, F811
    first, _ = held_report(channel, [("instagram", "https://www.instagram.com/Some.User/?igshid=abc")])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second, _ = held_report(channel, [("instagram", "@some.user")])
    match = EscrowMatch.objects.get()
    assert match.state == MatchState.PENDING
    assert {e.report_id for e in match.entries()} == {first.pk, second.pk}
    assert callbacks  # the counsellors' notification is queued on commit
    third, _ = held_report(channel, [("instagram", "@someone.else")])
    assert EscrowMatch.objects.count() == 1
    assert EscrowEntry.objects.get(report=third).match_index != match.match_index


def test_the_same_reporter_naming_the_person_twice_is_one_entry(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    add_identifier(client, channel, "x", "@Someone")
    response = add_identifier(client, channel, "x", "https://twitter.com/someone")
    assert response.status_code == 200
    assert "You have already added this one." in response.content.decode()


def test_a_browser_entry_matches_a_server_entry_for_the_same_person(channel, carla, key_services, organisation):  # noqa: E501, F811
    server_side, _ = held_report(channel, [("phone", "07700 900123")])
    output = expected_output(key_services, organisation, "phone:+447700900123")
    client = Client()
    flow.start(client, channel)
    response = flow.answer(client, channel, TOGETHER_STEP, {
        "q_together": "yes", "together_kind": "phone", "together_output":
        __import__("base64").b64encode(output).decode(), "together_path": "browser",
    }, go="together_add")
    assert response.status_code == 302
    for number in range(1, 7):
        flow.answer(client, channel, number, {"q_together": "yes"} if number == 3 else {})
    client.post(flow.review_url(channel))
    browser_side = Report.objects.order_by("-submitted_at").first()
    entry = EscrowEntry.objects.get(report=browser_side)
    assert entry.path == EntryPath.BROWSER
    assert entry.match_index == EscrowEntry.objects.get(report=server_side).match_index
    assert EscrowMatch.objects.get().entries().count() == 2


def test_bad_input_keeps_what_was_typed_and_adds_nothing(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    response = add_identifier(client, channel, "phone", "12")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="12"' in page and 'class="error"' in page
    assert "None added yet." in page


def test_a_browser_output_that_is_not_64_bytes_is_refused(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    response = flow.answer(client, channel, TOGETHER_STEP, {
        "q_together": "yes", "together_kind": "email", "together_output": b64(b"short"),
        "together_path": "browser"}, go="together_add")
    assert "Something went wrong adding this" in response.content.decode()


def test_removing_an_identifier(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    add_identifier(client, channel, "email", "a@example.org")
    response = client.post(flow.step_url(channel, TOGETHER_STEP),
                           {"q_together": "yes", "together_remove": "0"})
    assert response.status_code == 302
    assert "None added yet." in client.get(flow.step_url(channel, TOGETHER_STEP)).content.decode()


def test_holding_without_any_identifier_cannot_be_sent(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    for number in range(1, 7):
        flow.answer(client, channel, number, {"q_together": "yes"} if number == 3 else {})
    review = client.get(flow.review_url(channel)).content.decode()
    assert "gave no detail to recognise that person by" in review
    response = client.post(flow.review_url(channel))
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_choosing_to_send_now_ignores_identifiers(channel, carla):  # noqa: F811
    client = Client()
    flow.start(client, channel)
    add_identifier(client, channel, "email", "a@example.org")
    for number in range(1, 7):
        flow.answer(client, channel, number, {"q_together": "no"} if number == 3 else {})
    client.post(flow.review_url(channel))
    report = Report.objects.get()
    assert report.status == Status.NEW
    assert not EscrowEntry.objects.exists()
    assert ReportKey.objects.filter(report=report).count() == 2


def test_the_key_services_limit_is_shown_plainly(channel, carla, settings):  # noqa: F811
    settings.SAFELIGHT_KEY_SERVICE_SESSION_LIMIT = 1
    client = Client()
    flow.start(client, channel)
    add_identifier(client, channel, "email", "a@example.org")
    response = add_identifier(client, channel, "email", "b@example.org")
    page = response.content.decode()
    assert "cannot check any more names today" in page and 'value="b@example.org"' in page


def test_the_browser_evaluation_endpoint(channel, carla, key_services):  # noqa: F811
    import base64

    from safelight.crypto import oprf

    client = Client()
    url = f"/{channel.organisation.slug}/{channel.slug}/together/evaluate/"
    assert client.post(url, {"blinded": "x"}).status_code == 409  # no draft
    flow.start(client, channel)
    assert client.post(url, {"blinded": "not base64!"}).status_code == 400
    assert client.post(url, {"blinded": base64.b64encode(bytes(32)).decode()}).status_code == 400
    _, blinded = oprf.blind(b"anything")
    answer = client.post(url, {"blinded": base64.b64encode(blinded).decode()}).json()
    assert base64.b64decode(answer["evaluated"]) == oprf.blind_evaluate(key_services, blinded)


def test_a_held_report_can_be_withdrawn_with_confirmation(channel, carla):  # noqa: F811
    report, receipt = held_report(channel, [("tiktok", "@someone")])
    client = Client()
    client.post("/receipt/", {"receipt": receipt})
    page = client.post("/receipt/report/withdraw/", follow=True).content.decode()
    assert "was not withdrawn" in page
    assert Report.objects.filter(pk=report.pk).exists()
    page = client.post("/receipt/report/withdraw/", {"confirm": "yes"}).content.decode()
    assert "has been withdrawn" in page
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not EscrowEntry.objects.exists()
    assert client.post("/receipt/", {"receipt": receipt}).status_code == 200  # opens nothing


def test_a_held_report_takes_no_message(channel, carla):  # noqa: F811
    report, receipt = held_report(channel, [("tiktok", "@someone")])
    client = Client()
    client.post("/receipt/", {"receipt": receipt})
    client.post("/receipt/report/", {"body": "Hello?"})
    assert not report.messages.exists()
