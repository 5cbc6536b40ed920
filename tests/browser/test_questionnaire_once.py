"""The default questionnaire in a real browser: the report-together details show only once "Yes"
is chosen (with JavaScript; without it they are always there), and the readable details about the
person are asked instead when the reporter does not hold the report."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.flow_helpers import javascript_on
from tests.escrow.conftest import key_services  # noqa: F401
from tests.escrow.helpers import TOGETHER_STEP, offer_together
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLD = "Yes: hold my report until someone else names the same person"
SEND = "No: send my report now"


def _to_together_step(visit: Visit, channel) -> None:  # noqa: F811
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    for number in range(1, TOGETHER_STEP):
        expect(page.get_by_text(f"Step {number} of")).to_be_visible()
        page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text(f"Step {TOGETHER_STEP} of")).to_be_visible()


def test_the_together_details_show_only_after_yes(
    request, visit, channel, key_services  # noqa: F811
):
    offer_together(channel.organisation)
    _to_together_step(visit, channel)
    page = visit.page
    details = page.get_by_label("The detail", exact=True)
    explained = page.locator(".together-explained")
    readable = page.locator("#question-who_details")
    if not javascript_on(request):
        # Without JavaScript everything is there, each with what it is for.
        expect(details).to_be_visible()
        expect(explained).to_be_visible()
        expect(readable).to_be_visible()
        expect(readable).to_contain_text("Answer this only if you did not choose")
        return
    expect(details).to_be_hidden()
    expect(explained).to_be_hidden()
    expect(readable).to_be_visible()
    page.get_by_label(HOLD).check()
    expect(details).to_be_visible()
    expect(explained).to_be_visible()
    expect(readable).to_be_hidden()
    page.get_by_label(SEND).check()
    expect(details).to_be_hidden()
    expect(readable).to_be_visible()


def test_a_witness_reads_questions_about_the_person_it_happened_to(
    request, visit, channel  # noqa: F811
):
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    first = page.locator("fieldset.question").first
    expect(first).to_contain_text("Did this happen to you, or to someone else?")
    expect(first).to_contain_text("will not be contacted without care for their safety")
    page.get_by_label("It happened to someone else").check()
    for _number in range(1, 4):
        page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text("Step 4 of")).to_be_visible()
    expect(page.locator("body")).to_contain_text("how has this affected the person it happened")
    expect(page.locator("body")).not_to_contain_text("How has this affected you?")
    expect(page.locator("#question-safety_them")).to_contain_text(
        "threatened to kill or hurt them")
    if javascript_on(request):
        expect(page.locator("#question-tech_dependence_them")).to_be_hidden()
