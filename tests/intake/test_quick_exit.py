"""Quick exit's address: it ends every reporter-side session of the browser, server side too.

A copy of each cookie taken before the exit is tried again afterwards, in another client: the
draft, the follow-up and the locker must open nothing.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from safelight.accounts.models import RESERVED_SLUGS
from safelight.evidence import actions as locker_actions
from safelight.evidence import session as locker_session
from safelight.intake import drafts, followup
from safelight.intake.models import Draft, DraftFile, ReporterSession
from safelight.reports.models import QuestionKind
from tests.evidence.conftest import locker, locker_client  # noqa: F401
from tests.intake import flow, samples

NEUTRAL = settings.SAFELIGHT_QUICK_EXIT_URL
CANARY = "Canary-7731 he reads my messages"
COOKIES = (drafts.COOKIE, followup.COOKIE, locker_session.COOKIE, settings.CSRF_COOKIE_NAME)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def file_step(channel) -> int:
    for number, step in enumerate(channel.questionnaire.steps.all(), start=1):
        if step.questions.filter(kind=QuestionKind.FILE).exists():
            return number
    raise AssertionError("no file question")


def copy_of(client: Client) -> Client:
    """Another browser holding copies of this one's cookies."""
    other = Client()
    for name, morsel in client.cookies.items():
        if morsel.value:
            other.cookies[name] = morsel.value
    return other


def draft_with_a_file(client: Client, channel) -> None:
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_what_happened": CANARY})
    response = client.post(flow.step_url(channel, file_step(channel)), {
        "q_evidence": [flow.upload("shot.png", samples.png())], "go": "stay"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DraftFile.objects.count() == 1 and stored_files()


def open_followup(client: Client, receipt: str) -> None:
    assert client.post("/receipt/", {"receipt": receipt}).status_code == 302
    assert client.get("/receipt/report/").status_code == 200


@pytest.fixture
def receipt(channel):
    return flow.report(Client(), channel, {1: {"q_what_happened": CANARY}})


def test_it_discards_the_draft_and_its_files(client, channel, django_capture_on_commit_callbacks):
    draft_with_a_file(client, channel)
    copied = copy_of(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == NEUTRAL
    assert not Draft.objects.exists() and not DraftFile.objects.exists()
    assert stored_files() == []
    for browser in (client, copied):
        page = browser.get(flow.step_url(channel, 1))
        text = page.content.decode()
        assert page.status_code == 410
        assert "This page is no longer available" in text
        assert CANARY not in text and channel.name not in text
        assert channel.organisation.name not in text
        assert browser.get(flow.review_url(channel)).status_code == 410


def test_it_ends_the_follow_up_on_the_server(client, receipt):
    open_followup(client, receipt)
    copied = copy_of(client)
    assert copied.get("/receipt/report/").status_code == 200  # the copy works before the exit
    client.get("/exit/")
    for browser in (client, copy_of(copied)):
        page = browser.get("/receipt/report/")
        assert page.status_code == 410
        assert CANARY not in page.content.decode()
        assert "Harassment at work" not in page.content.decode()
    assert not ReporterSession.objects.exists()


def test_it_ends_the_locker_on_the_server(locker_client):  # noqa: F811
    copied = copy_of(locker_client)
    assert copied.get("/locker/home/").status_code == 200
    locker_client.post("/exit/")
    for browser in (locker_client, copy_of(copied)):
        page = browser.get("/locker/home/")
        assert page.status_code == 410
        assert "locker" not in page.content.decode().lower()
        assert browser.get("/locker/incidents/new/").status_code == 410


def test_it_ends_a_draft_a_follow_up_and_a_locker_at_once(client, channel, receipt):
    draft_with_a_file(client, channel)
    open_followup(client, receipt)
    opened, _passphrase = locker_actions.create_locker()
    response = client.get("/")
    locker_session.keep_open(response, opened)
    client.cookies[locker_session.COOKIE] = response.cookies[locker_session.COOKIE].value
    assert ReporterSession.objects.count() == 2
    copied = copy_of(client)

    response = client.get("/exit/")
    assert not Draft.objects.exists() and not ReporterSession.objects.exists()
    assert copied.get(flow.step_url(channel, 1)).status_code == 410
    assert copied.get("/receipt/report/").status_code == 410
    assert copied.get("/locker/home/").status_code == 410


def test_it_deletes_every_reporter_cookie_and_asks_the_browser_to_clear_the_site(client, receipt):
    open_followup(client, receipt)
    response = client.get("/exit/")
    for name in COOKIES:
        morsel = response.cookies[name]
        assert morsel.value == "" and morsel["max-age"] == 0, name
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert response["Cache-Control"] == "no-store"


def test_it_goes_to_the_organisation_s_neutral_page(client, channel, receipt):
    organisation = channel.organisation
    organisation.quick_exit_url = "https://weather.example/"
    organisation.save()
    # Named in the address ...
    assert Client().get(f"/exit/?o={organisation.pk}")["Location"] == "https://weather.example/"
    # ... or found from the open draft, or the open follow-up.
    drafting = Client()
    flow.start(drafting, channel)
    assert drafting.get("/exit/")["Location"] == "https://weather.example/"
    open_followup(client, receipt)
    assert client.get("/exit/")["Location"] == "https://weather.example/"
    # Otherwise, and for an address that names nothing, the server's default.
    assert Client().get("/exit/")["Location"] == NEUTRAL
    assert Client().get("/exit/?o=999999")["Location"] == NEUTRAL
    assert Client().get("/exit/?o=' OR 1=1 --")["Location"] == NEUTRAL


def test_it_ends_nothing_when_another_site_sends_there(client, channel, receipt):
    flow.start(client, channel)
    open_followup(client, receipt)
    for headers in ({"HTTP_SEC_FETCH_SITE": "cross-site"},
                    {"HTTP_SEC_FETCH_SITE": "same-site"},
                    {"HTTP_ORIGIN": "https://evil.example"}):
        response = client.post("/exit/", **headers)
        assert response.status_code == 302 and response["Location"] == NEUTRAL
        assert not response.cookies
        assert Draft.objects.count() == 1
        assert client.get("/receipt/report/").status_code == 200
        assert client.get(flow.step_url(channel, 1)).status_code == 200


def test_it_answers_the_beacon_without_a_redirect(client, channel):
    flow.start(client, channel)
    response = client.post("/exit/", {"via": "beacon"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 204
    assert not Draft.objects.exists()
    assert response.cookies[drafts.COOKIE]["max-age"] == 0


def test_it_needs_no_form_token(channel):
    elsewhere = Client()
    flow.start(elsewhere, channel)  # another browser's draft
    drafting = Client()
    flow.start(drafting, channel)
    guarded = Client(enforce_csrf_checks=True)
    guarded.cookies[drafts.COOKIE] = drafting.cookies[drafts.COOKIE].value
    response = guarded.post("/exit/", {"via": "beacon"})
    assert response.status_code == 204
    assert Draft.objects.count() == 1  # only this browser's draft was discarded
    assert elsewhere.get(flow.step_url(channel, 1)).status_code == 200


def test_it_puts_the_exit_address_behind_every_quick_exit(client, channel, receipt):
    organisation = channel.organisation
    pages = {
        "landing": client.get(f"/{organisation.slug}/"),
        "channel": client.get(f"/{organisation.slug}/{channel.slug}/"),
        "help directory": client.get(f"/{organisation.slug}/help/"),
        "receipt": client.get("/receipt/"),
        "locker door": client.get("/locker/"),
        "not found": client.get("/no-such-organisation/no/such/page/"),
    }
    flow.start(client, channel)
    pages["step"] = client.get(flow.step_url(channel, 1))
    pages["review"] = client.get(flow.review_url(channel))
    open_followup(client, receipt)
    pages["follow-up"] = client.get("/receipt/report/")
    for name, response in pages.items():
        text = response.content.decode()
        assert "data-quick-exit" in text, name
        assert 'href="/exit/' in text, name
        assert f'data-neutral-url="{NEUTRAL}"' in text, name
    assert f'href="/exit/?o={organisation.pk}"' in pages["step"].content.decode()


def test_it_keeps_exit_from_being_an_organisation_s_address():
    assert "exit" in RESERVED_SLUGS
