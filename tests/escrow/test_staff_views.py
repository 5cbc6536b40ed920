"""The counsellor's pages: the list of matches and opening one, for counsellors only (404 for
every other handler), through a real sign-in and the session's keyring."""

import pytest
from django.test import Client

from safelight.accounts.actions import create_handler, create_organisation
from safelight.escrow.models import EscrowMatch, MatchState
from safelight.reports.models import Report, ReportKey, Status
from tests.conftest import PASSWORD, sign_in
from tests.escrow.test_open_match import cora, counsel, forge, hold, person, pi  # noqa: F401
from tests.intake.conftest import ben, channel, hana, questionnaire, with_keys  # noqa: F401

CANARY = "CANARY-he-parks-outside-my-flat"
NAME = "Rosa Canary-Reporter"


def checking_csrf(client):
    """A signed-in client that, from now on, is checked for the CSRF token as a browser is."""
    client.handler.enforce_csrf_checks = True
    return client


@pytest.fixture
def match(channel, cora):  # noqa: F811
    someone = person()
    hold(channel, someone, {1: {"q_what_happened": CANARY}, 6: {"q_name": NAME}})
    hold(channel, someone, {1: {"q_what_happened": CANARY}})
    return EscrowMatch.objects.get()


def test_it_lists_matches_and_counts_for_a_counsellor(client, match, cora):  # noqa: F811
    hold(match.organisation.channels.get(), person())  # held, in no match
    sign_in(client, cora)
    page = client.get("/staff/escrow/")
    assert page.status_code == 200
    assert [m.pk for m in page.context["pending"]] == [match.pk]
    assert page.context["pending"][0].report_count == 2
    assert (page.context["reports_held"], page.context["entries_held"]) == (3, 3)
    html = page.content.decode()
    assert f'href="/staff/escrow/{match.pk}/"' in html
    assert "No match has been opened yet." in html
    assert 'href="/staff/escrow/">Report together</a>' in html  # in the navigation
    assert CANARY not in html and NAME not in html


def test_it_shows_what_opening_does_before_opening(client, match, cora):  # noqa: F811
    sign_in(client, cora)
    page = client.get(f"/staff/escrow/{match.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Open and release" in html and "csrfmiddlewaretoken" in html
    assert "is flagged and never opened" in html
    assert page.context["result"] is None
    assert page.context["sealed_elsewhere"] == 0


def test_it_opens_and_releases_through_the_view(match, cora, hana):  # noqa: F811
    client = checking_csrf(sign_in(Client(), cora))
    page = client.get(f"/staff/escrow/{match.pk}/")
    token = page.context["csrf_token"]

    response = client.post(f"/staff/escrow/{match.pk}/", {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 200
    reports = list(Report.objects.all())
    assert {r.status for r in reports} == {Status.NEW}
    assert ReportKey.objects.filter(handler=hana).count() == 2
    result = response.context["result"]
    assert {row["report"].pk for row in result["released"]} == {r.pk for r in reports}
    html = response.content.decode()
    for report in reports:
        assert f"Report {report.reference}" in html
        # cora reads no channel: no link to a case she could not open.
        assert f"/staff/reports/{report.pk}/" not in html
    assert CANARY not in html and NAME not in html
    assert EscrowMatch.objects.get().state == MatchState.RELEASED
    assert "Open again" in html
    # The list shows it among the opened matches now.
    listed = client.get("/staff/escrow/")
    assert listed.context["pending"] == [] and [m.pk for m in listed.context["resolved"]] == [
        match.pk]


def test_it_links_to_the_case_when_the_counsellor_reads_the_channel(
    client, channel, hana  # noqa: F811
):
    counsel(channel.organisation, hana)
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    sign_in(client, hana)
    response = client.post(f"/staff/escrow/{EscrowMatch.objects.get().pk}/")
    html = response.content.decode()
    assert f'href="/staff/reports/{first.pk}/"' in html
    assert f'href="/staff/reports/{second.pk}/"' in html
    assert client.get(f"/staff/reports/{first.pk}/").status_code == 200


def test_it_refuses_a_post_without_the_csrf_token(match, cora):  # noqa: F811
    client = checking_csrf(sign_in(Client(), cora))
    assert client.post(f"/staff/escrow/{match.pk}/").status_code == 403
    assert EscrowMatch.objects.get().state == MatchState.PENDING


def test_it_explains_a_flagged_entry_without_content(client, channel, cora):  # noqa: F811
    honest, _ = hold(channel, person(), {1: {"q_what_happened": CANARY}})
    attacker, _ = hold(channel, person())
    forge(attacker, pi(honest))
    match = EscrowMatch.objects.get(match_index=pi(honest))
    sign_in(client, cora)
    html = client.post(f"/staff/escrow/{match.pk}/").content.decode()
    assert "2 entries do not fit the others." in html
    assert "may be forged or damaged" in html and "Nothing in it was opened" in html
    assert CANARY not in html
    assert honest.reference not in html and attacker.reference not in html
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}


def test_it_tells_a_new_counsellor_to_ask_another(client, organisation, match):
    dan = with_keys(create_handler(organisation=organisation, username="dan",
                                   password=PASSWORD))
    counsel(organisation, dan)
    sign_in(client, dan)
    page = client.get(f"/staff/escrow/{match.pk}/")
    assert page.context["sealed_elsewhere"] == 2
    assert "Ask another counsellor" in page.content.decode()
    response = client.post(f"/staff/escrow/{match.pk}/")
    assert len(response.context["result"]["unreadable"]) == 2
    assert "Sealed to other counsellors" in response.content.decode()
    assert EscrowMatch.objects.get().state == MatchState.PENDING


def test_it_is_not_there_for_a_handler_who_is_not_a_counsellor(client, match, hana):  # noqa: F811
    sign_in(client, hana)
    assert client.get("/staff/escrow/").status_code == 404
    assert client.get(f"/staff/escrow/{match.pk}/").status_code == 404
    assert client.post(f"/staff/escrow/{match.pk}/").status_code == 404
    assert EscrowMatch.objects.get().state == MatchState.PENDING
    assert "/staff/escrow/" not in client.get("/staff/").content.decode()


def test_it_is_not_there_for_another_organisations_counsellor(client, match):
    elsewhere = create_organisation(name="Elsewhere", slug="elsewhere")
    olga = with_keys(create_handler(organisation=elsewhere, username="olga",
                                    password=PASSWORD))
    counsel(elsewhere, olga)
    sign_in(client, olga)
    assert client.get("/staff/escrow/").status_code == 200
    assert client.get("/staff/escrow/").context["pending"] == []
    assert client.get(f"/staff/escrow/{match.pk}/").status_code == 404
    assert client.post(f"/staff/escrow/{match.pk}/").status_code == 404
    assert EscrowMatch.objects.get().state == MatchState.PENDING


def test_it_sends_a_visitor_to_sign_in(client, match):
    for response in (client.get("/staff/escrow/"), client.post(f"/staff/escrow/{match.pk}/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/sign-in/")
    assert EscrowMatch.objects.get().state == MatchState.PENDING
