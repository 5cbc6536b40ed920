"""Enter in a report-together detail field, without JavaScript, adds the detail: it never
presses the first "Remove" (issue 13, item 10). Each reporter form's default is its forward
action."""

import pytest
from playwright.sync_api import expect

from safelight.reports.models import QuestionKind
from tests.browser.conftest import Visit
from tests.escrow.conftest import key_services  # noqa: F401
from tests.escrow.helpers import offer_together
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
from tests.intake.steps_of import step_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLD = "Yes: hold my report until someone else names the same person"


def test_enter_in_the_detail_field_adds_the_detail_and_removes_none(
    browser, live_server, channel, key_services  # noqa: F811
):
    offer_together(channel.organisation)
    number = step_of(channel, kind=QuestionKind.REPORT_TOGETHER)
    visit = Visit(browser.new_context(java_script_enabled=False), live_server.url)
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/step/{number}/")
    page.get_by_label(HOLD).check()
    page.get_by_label("What kind of detail").select_option("email")
    page.get_by_label("The detail", exact=True).fill("first.person@example.org")
    page.get_by_role("button", name="Add this detail").click()
    items = page.locator(".together-items li")
    expect(items).to_have_count(1)

    page.get_by_label("What kind of detail").select_option("email")
    page.get_by_label("The detail", exact=True).fill("second.person@example.org")
    page.get_by_label("The detail", exact=True).press("Enter")
    page.wait_for_load_state()
    expect(items).to_have_count(2)  # the first kept, the second added
    assert page.url.endswith(f"/step/{number}/")
    expect(page.get_by_label(HOLD)).to_be_checked()
    visit.context.close()


def test_enter_on_a_step_without_details_continues(browser, live_server, channel):  # noqa: F811
    visit = Visit(browser.new_context(java_script_enabled=False), live_server.url)
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    number = step_of(channel, kind=QuestionKind.SHORT_TEXT)
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/step/{number}/")
    page.locator("form input[type=text]").first.fill("Something")
    page.locator("form input[type=text]").first.press("Enter")
    page.wait_for_load_state()
    assert page.url.endswith(f"/step/{number + 1}/") or page.url.endswith("/review/")
    visit.context.close()
