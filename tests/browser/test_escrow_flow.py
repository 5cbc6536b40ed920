"""Report together in a real browser: two anonymous reporters name the same Instagram profile in
different spellings, one with JavaScript (the OPRF runs in the browser) and one without (the
server runs it in memory); the counsellor opens the match and both reports become cases. A third
reporter naming someone else stays held, and withdraws."""

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from safelight.escrow.models import EntryPath, EscrowEntry, EscrowMatch, MatchState
from safelight.reports.models import Report, ReportKey, Status
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import confirmed_device, staff_sign_in
from tests.escrow.conftest import key_services  # noqa: F401
from tests.escrow.helpers import TOGETHER_STEP, offer_together
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLD = "Yes: hold my report until someone else names the same person"


def _reporter(browser, live_server, *, javascript: bool) -> Visit:
    return Visit(browser.new_context(java_script_enabled=javascript), live_server.url)


def _hold_report(visit: Visit, channel, kind: str, value: str, narrative: str) -> str:  # noqa: F811
    page = visit.page
    visit.goto(f"/{channel.organisation.slug}/{channel.slug}/")
    page.get_by_role("button", name="Start").click()
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        if number == 1:
            page.locator("textarea[name=q_what_happened]").fill(narrative)
        if number == TOGETHER_STEP:
            page.get_by_label(HOLD).check()
            page.get_by_label("What kind of detail").select_option(kind)
            page.get_by_label("The detail", exact=True).fill(value)
            page.get_by_role("button", name="Add this detail").click()
            expect(page.locator(".together-items")).to_contain_text("added")
            expect(page.get_by_label(HOLD)).to_be_checked()
        if number < steps:
            page.get_by_role("button", name="Continue", exact=True).click()
        else:
            page.get_by_role("button", name="Review my report").click()
    expect(page.locator(".together-review")).to_contain_text("will be held")
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("body")).to_contain_text("held, encrypted, until someone else names")
    return page.locator("#receipt code").inner_text()


def _follow_up(visit: Visit, receipt: str):
    page = visit.page
    visit.goto("/receipt/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Open my report").click()
    return page


def test_two_reporters_naming_the_same_profile_are_released_together(
    browser, live_server, channel, hana, key_services  # noqa: F811
):
    organisation = channel.organisation
    carla = offer_together(organisation)
    carla.user.email = "carla@acme.example"
    carla.user.save()
    with_js = _reporter(browser, live_server, javascript=True)
    without_js = _reporter(browser, live_server, javascript=False)
    other = _reporter(browser, live_server, javascript=False)

    first = _hold_report(with_js, channel, "instagram",
                         "https://www.instagram.com/Some.User/?igshid=abc",
                         "He messages me from new accounts every night.")
    second = _hold_report(without_js, channel, "instagram", "@some.user",
                          "He posted my address under my photos.")
    third = _hold_report(other, channel, "instagram", "@someone.else",
                         "A stranger keeps commenting on my posts.")

    entries = {e.path: e for e in EscrowEntry.objects.exclude(
        match_index=EscrowEntry.objects.order_by("-created_at").first().match_index)}
    # The browser's entry and the server's entry hold the same match index.
    assert set(entries) == {EntryPath.BROWSER, EntryPath.SERVER}
    assert entries[EntryPath.BROWSER].match_index == entries[EntryPath.SERVER].match_index
    match = EscrowMatch.objects.get()
    assert match.state == MatchState.PENDING
    assert set(Report.objects.values_list("status", flat=True)) == {Status.HELD}
    assert not ReportKey.objects.exists()

    call_command("worker", batch=True)
    assert [m.to for m in mail.outbox] == [["carla@acme.example"]]
    assert "some.user" not in mail.outbox[0].body.lower()

    page = _follow_up(with_js, first)
    expect(page.locator("#together")).to_contain_text("Held.")

    staff = browser.new_context()
    staff_page = staff.new_page()
    staff_sign_in(staff_page, live_server.url, carla, confirmed_device(carla))
    staff_page.goto(live_server.url + "/staff/escrow/")
    staff_page.locator("tr.match-pending a").click()
    staff_page.get_by_role("button", name="Open and release").click()
    expect(staff_page.locator("body")).to_contain_text("Released")
    staff.close()

    released = Report.objects.filter(escrow_entries__match_index=match.match_index)
    assert {r.status for r in released} == {Status.NEW}
    assert ReportKey.objects.filter(report__in=released, handler=hana).count() == 2
    held = Report.objects.get(status=Status.HELD)

    hana_context = browser.new_context()
    hana_page = hana_context.new_page()
    staff_sign_in(hana_page, live_server.url, hana, confirmed_device(hana))
    hana_page.goto(live_server.url + "/staff/reports/")
    for report in released:
        expect(hana_page.locator("body")).to_contain_text(report.reference)
    expect(hana_page.locator("body")).not_to_contain_text(held.reference)
    hana_context.close()

    page = _follow_up(without_js, second)
    expect(page.locator("#together")).to_contain_text("Matched and released")

    page = _follow_up(other, third)
    expect(page.locator("#together")).to_contain_text("Held.")
    page.get_by_label("Yes, withdraw and delete my report").check()
    page.get_by_role("button", name="Withdraw my report").click()
    expect(page.get_by_role("heading", name="Your report has been withdrawn")).to_be_visible()
    assert not Report.objects.filter(pk=held.pk).exists()
    assert Report.objects.count() == 2

    for visit in (with_js, without_js, other):
        assert visit.foreign_requests() == []
        visit.context.close()
