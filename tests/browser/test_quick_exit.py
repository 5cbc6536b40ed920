"""Quick exit in a real browser, with and without JavaScript (issue 13, items 1 and 4).

From a questionnaire step with typed text, the review page, the follow-up page and an open
locker: after Quick exit, Back and Forward show nothing of the report or the locker (neither in
the page nor in its title), the browser keeps none of the reporter side's cookies, and copies of
the cookies taken before the exit, put into a fresh browser, open nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from safelight.evidence import actions as locker_actions
from safelight.intake.models import Draft, ReporterSession
from tests.browser.conftest import NEUTRAL, Visit
from tests.browser.flow_helpers import javascript_on
from tests.intake import flow
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANARY = "Canary-4471 he tracks my phone and said he would hurt me"
CHANNEL = "Harassment at work"
REPORTER_COOKIES = {"safelight_draft", "safelight_report", "safelight_locker", "csrftoken"}
LOCKER_WORDS = ("locker", "incident", "evidence", "passphrase")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Wait for the server to have done something the browser sent without waiting (the beacon)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def shows_nothing(page: Page, *words: str) -> None:
    text = page.content().lower() + " " + page.title().lower()
    for word in (CANARY, CHANNEL, "acme", *words):
        assert word.lower() not in text, (word, page.url, page.title())


def quick_exit(visit: Visit) -> list[dict]:
    """Press Quick exit; return the cookies the browser held just before."""
    before = visit.context.cookies()
    assert {c["name"] for c in before} & REPORTER_COOKIES
    # The address changes before the page has run its deferred script; a click before that is
    # the plain link's exit (which ends everything too, but keeps this page in the history).
    visit.page.wait_for_load_state("domcontentloaded")
    visit.page.get_by_role("link", name="Quick exit").click()
    visit.page.wait_for_url(NEUTRAL)
    return before


def back_and_forward_show_nothing(visit: Visit, *words: str) -> None:
    visit.page.go_back()
    assert visit.page.url.startswith(visit.base), visit.page.url
    shows_nothing(visit.page, *words)
    gone = visit.page.get_by_role("heading", name="This page is no longer available")
    expect(gone).to_be_visible()
    visit.page.go_forward()
    visit.page.wait_for_url(NEUTRAL)
    shows_nothing(visit.page, *words)


def no_reporter_cookies_left(visit: Visit) -> None:
    def left() -> set[str]:
        return {c["name"] for c in visit.context.cookies() if c["value"]} & REPORTER_COOKIES

    # With JavaScript the cookies go when the beacon's answer arrives, after the page has left;
    # on a loaded machine that can be a moment after the server has ended the sessions.
    try:
        wait_until(lambda: not left(), "the beacon's answer deleted the cookies", timeout=10)
    except AssertionError:
        raise AssertionError(f"cookies left after Quick exit: {left()}") from None


def old_cookies_open_nothing(browser, visit: Visit, cookies: list[dict], paths: list[str],
                             *words: str) -> None:
    fresh = browser.new_context(java_script_enabled=False)
    try:
        fresh.add_cookies(cookies)
        page = fresh.new_page()
        for path in paths:
            response = page.goto(visit.base + path)
            assert response.status == 410, (path, response.status)
            shows_nothing(page, *words)
    finally:
        fresh.close()


def _write_two_steps(visit: Visit) -> None:
    page = visit.page
    visit.goto("/acme/work/")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(visit.base + "/acme/work/step/1/")
    page.locator("textarea[name=q_what_happened]").fill(CANARY)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_url(visit.base + "/acme/work/step/2/")


def test_it_leaves_nothing_behind_from_a_step(request, browser, visit, channel):  # noqa: F811
    _write_two_steps(visit)
    assert Draft.objects.count() == 1
    cookies = quick_exit(visit)
    # With JavaScript the ending goes as a beacon while the page leaves: wait for the server.
    wait_until(lambda: not Draft.objects.exists(), "the draft was discarded")
    no_reporter_cookies_left(visit)
    back_and_forward_show_nothing(visit)
    old_cookies_open_nothing(browser, visit, cookies,
                             ["/acme/work/step/1/", "/acme/work/step/2/", "/acme/work/review/"])
    assert visit.foreign_requests() == []
    if javascript_on(request):
        # location.replace: the step the person left from is not in the history any more.
        visit.page.go_back()
        assert visit.page.url == visit.base + "/acme/work/step/1/"


def test_it_leaves_nothing_behind_from_the_review_page(browser, visit, channel):  # noqa: F811
    _write_two_steps(visit)
    page = visit.page
    while not page.url.endswith("/review/"):
        buttons = page.get_by_role("button", name="Review my report")
        if buttons.count():
            buttons.click()
        else:
            page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(CANARY)
    cookies = quick_exit(visit)
    wait_until(lambda: not Draft.objects.exists(), "the draft was discarded")
    no_reporter_cookies_left(visit)
    back_and_forward_show_nothing(visit)
    old_cookies_open_nothing(browser, visit, cookies, ["/acme/work/review/"])


def test_it_leaves_nothing_behind_from_the_follow_up_page(browser, visit, channel):  # noqa: F811
    receipt = flow.report(Client(), channel, {1: {"q_what_happened": CANARY}})
    page = visit.page
    visit.goto("/receipt/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Open my report").click()
    expect(page).to_have_url(visit.base + "/receipt/report/")
    page.get_by_label("Your message").fill(CANARY)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".thread")).to_contain_text(CANARY)
    assert ReporterSession.objects.count() == 1
    cookies = quick_exit(visit)
    wait_until(lambda: not ReporterSession.objects.exists(), "the follow-up was ended")
    no_reporter_cookies_left(visit)
    back_and_forward_show_nothing(visit)
    old_cookies_open_nothing(browser, visit, cookies, ["/receipt/report/"])


def test_it_leaves_nothing_behind_from_an_open_locker(browser, visit, channel):  # noqa: F811
    _opened, passphrase = locker_actions.create_locker()
    page = visit.page
    visit.goto("/locker/")
    page.get_by_label("Your passphrase").fill(passphrase)
    page.get_by_role("button", name="Open my locker").click()
    expect(page).to_have_url(visit.base + "/locker/home/")
    page.get_by_role("link", name="Write down an incident").first.click()
    page.get_by_label("A short title").fill(CANARY)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(CANARY)
    assert ReporterSession.objects.count() == 1
    cookies = quick_exit(visit)
    wait_until(lambda: not ReporterSession.objects.exists(), "the locker was ended")
    no_reporter_cookies_left(visit)
    back_and_forward_show_nothing(visit, *LOCKER_WORDS)
    old_cookies_open_nothing(browser, visit, cookies,
                             ["/locker/home/", "/locker/incidents/new/"], *LOCKER_WORDS)
