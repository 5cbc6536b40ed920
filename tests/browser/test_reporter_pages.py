"""A reporter's first visit, in a real browser, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from safelight.accounts.actions import create_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def acme(transactional_db):
    return create_organisation(
        name="Acme Platform", slug="acme", urgent_help="Emergency services: 112"
    )


def test_it_shows_the_landing_page_with_everything_from_this_site_only(visit, acme, tmp_path):
    response = visit.goto("/")
    assert response.status == 200
    assert visit.page.url == visit.base + "/acme/"
    assert (
        visit.page.get_by_role("heading", level=1).inner_text()
        == "Tell Acme Platform what happened"
    )
    expect(visit.page.get_by_text("Emergency services: 112")).to_be_visible()
    quick_exit = visit.page.get_by_role("link", name="Quick exit")
    expect(quick_exit).to_be_visible()
    # The stylesheet applied: the quick exit is the red button, not a plain link.
    colour = quick_exit.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(179, 38, 30)"
    visit.page.screenshot(path=tmp_path / "landing.png", full_page=True)
    assert visit.foreign_requests() == []


def test_it_leaves_for_the_neutral_site_on_quick_exit(visit, acme):
    visit.goto("/acme/")
    visit.page.get_by_role("link", name="Quick exit").click()
    visit.page.wait_for_url("https://neutral.example/")
    assert visit.page.title() == "Neutral"
    assert visit.foreign_requests() == []


def test_it_replaces_the_page_in_history_when_javascript_runs(browser, live_server, acme):
    from tests.browser.conftest import Visit

    context = browser.new_context(java_script_enabled=True)
    visit = Visit(context, live_server.url)
    visit.goto("/help/safety/")
    visit.goto("/acme/")
    visit.page.get_by_role("link", name="Quick exit").click()
    visit.page.wait_for_url("https://neutral.example/")
    # location.replace: "Back" skips the page the person left from.
    visit.page.go_back()
    assert visit.page.url == live_server.url + "/help/safety/"
    context.close()


def test_it_leaves_when_escape_is_pressed_twice(browser, live_server, acme):
    from tests.browser.conftest import Visit

    context = browser.new_context(java_script_enabled=True)
    visit = Visit(context, live_server.url)
    visit.goto("/acme/")
    visit.page.keyboard.press("Escape")
    visit.page.keyboard.press("Escape")
    visit.page.wait_for_url("https://neutral.example/")
    context.close()
