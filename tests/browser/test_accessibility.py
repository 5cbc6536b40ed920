"""WCAG 2.2 AA on phones: axe-core over every reporter, follow-up, help-directory, locker and staff
page, at 390 px and at 320 px wide, and no page wider than a 320 px screen.

axe-core is vendored under tests/browser/vendor/ (never served). The pages' CSP is
`default-src 'self'`, so a script injected into them would be refused: the contexts of this test
alone bypass the CSP to add axe. The pages under test are the ones people see with JavaScript on:
the site's own scripts run as usual (conditional questions, quick exit).

Each persona walks its pages in one browser context; every problem is collected, and the test
fails once at the end with a message that names each page, rule and offending element.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from bench.evidence_data import write_whatsapp_export
from safelight.referrals.default_services import install_demo_services
from safelight.reports.models import Report
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import gps_jpeg
from tests.conftest import PASSWORD, totp_code
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONES = (390, 320)  # a common phone, and the narrowest WCAG 1.4.10 (Reflow) asks for
HEIGHT = 800

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact,
    targets: v.nodes.slice(0, 6).map((n) => n.target.join(" ")),
  }));
}"""

# Elements whose right edge passes the window's: what makes a page scroll sideways.
TOO_WIDE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string"
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      wide.push(name + " (" + Math.round(box.right) + "px)");
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
}"""


# aria-describedby / aria-labelledby that name no element: the help or error is never read out.
# (axe passes a reference list while any one id in it exists, so this checks every id.)
BROKEN_REFERENCES = """() => {
  const broken = [];
  for (const attr of ["aria-describedby", "aria-labelledby"]) {
    for (const el of document.querySelectorAll("[" + attr + "]")) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          broken.push((el.id || el.tagName) + " " + attr + "=" + id);
        }
      }
    }
  }
  return broken;
}"""


class Audit:
    """Runs axe and the width check on the page a persona is on, and keeps what they find."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.pages: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.pages.append(name)
        page.add_script_tag(content=AXE)
        for broken in page.evaluate(BROKEN_REFERENCES):
            self.problems.append(f"{name} [{page.url}]: reference to no element: {broken}")
        for width in PHONES:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            for violation in page.evaluate(RUN_AXE, WCAG_22_AA):
                self.problems.append(
                    f"{name} [{page.url}] at {width}px: {violation['id']} "
                    f"({violation['impact']}) on {', '.join(violation['targets'])}"
                )
            size = page.evaluate(TOO_WIDE)
            if size["scroll"] > size["width"]:
                self.problems.append(
                    f"{name} [{page.url}] at {width}px: scrolls sideways "
                    f"({size['scroll']}px wide): {', '.join(size['wide'])}"
                )
        page.set_viewport_size({"width": PHONES[0], "height": HEIGHT})

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} accessibility problem(s) on {len(self.pages)} pages:\n"
            + "\n".join(self.problems)
        )


def _phone(browser, live_server) -> Visit:
    context = browser.new_context(
        bypass_csp=True,  # only to add axe; the pages' own scripts run as they always do
        java_script_enabled=True,
        viewport={"width": PHONES[0], "height": HEIGHT},
    )
    return Visit(context, live_server.url)


def _fill_answers(page: Page) -> None:
    """Write in every visible text box of the step and tick the first box of each group."""
    form = page.locator("main form").first
    for box in form.locator("textarea:visible, input[type=text]:visible").all():
        box.fill("Some words about it.")
    for group in form.locator("fieldset.question:visible").all():
        first = group.locator("input[type=checkbox]:visible").first
        if first.count():
            first.check()


def _walk_report(audit: Audit, visit: Visit, channel) -> str:  # noqa: F811
    """The reporter's side up to the receipt; returns the receipt."""
    page = visit.page
    base = visit.base
    slug = f"/{channel.organisation.slug}/{channel.slug}"
    visit.goto(f"/{channel.organisation.slug}/")
    audit.check("landing page")
    visit.goto("/help/safety/")
    audit.check("safety advice")
    visit.goto(f"/{channel.organisation.slug}/help/")
    audit.check("help directory")
    visit.goto(slug + "/")
    audit.check("channel start")
    page.get_by_role("button", name="Start").click()
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        expect(page).to_have_url(f"{base}{slug}/step/{number}/")
        audit.check(f"step {number}, empty")
        when = page.locator("input[type=date]")
        if when.count() == 2:
            # An end before the start: the step comes back with an error.
            when.nth(0).fill("2026-03-02")
            when.nth(1).fill("2026-03-01")
            page.get_by_role("button", name="Continue", exact=True).click()
            expect(page.locator(".errors")).to_be_visible()
            audit.check(f"step {number}, with an error")
            when.nth(1).fill("2026-03-04")
        files = page.locator("input[type=file]")
        if files.count():
            files.first.set_input_files(
                [{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}]
            )
            page.get_by_role("button", name="Add these files").click()
            expect(page.locator("ul.files li")).to_have_count(1)
        _fill_answers(page)
        audit.check(f"step {number}, with answers")
        button = "Review my report" if number == steps else "Continue"
        page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(f"{base}{slug}/review/")
    audit.check("review")
    visit.goto(slug + "/step/1/")
    audit.check("step 1, answers kept in the draft")
    visit.goto(slug + "/review/")
    page.get_by_role("button", name="Send my report").click()
    expect(page.locator("#receipt code")).to_be_visible()
    audit.check("receipt")
    return page.locator("#receipt code").inner_text()


def _walk_staff(audit: Audit, visit: Visit, hana) -> None:  # noqa: F811
    page = visit.page
    base = visit.base
    # hana also administers her organisation, so the administration's index is hers to see.
    User.objects.filter(pk=hana.user.pk).update(is_staff=True)
    visit.goto("/staff/sign-in/")
    audit.check("staff sign-in")
    page.get_by_label("Username").fill(hana.user.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That did not work.")).to_be_visible()
    audit.check("staff sign-in, with an error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # First sign-in: the authenticator app is connected before anything else.
    expect(page).to_have_url(base + "/staff/authenticator/")
    audit.check("authenticator set-up")
    device = TOTPDevice.objects.get(user=hana.user)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(base + "/staff/")
    audit.check("staff home")
    visit.goto("/staff/password/")
    audit.check("change password")
    visit.goto("/staff/reports/")
    audit.check("inbox")
    report = Report.objects.get()
    page.get_by_role("link", name=report.reference).click()
    expect(page).to_have_url(f"{base}/staff/reports/{report.pk}/")
    audit.check("case page")
    page.get_by_label("Reply to the reporter").fill("We have your report. Since when?")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply was sent.")).to_be_visible()
    audit.check("case page, after a reply")
    visit.goto("/staff/admin/")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    audit.check("administration index")


def test_it_finds_no_wcag_problem_on_the_reporter_follow_up_and_staff_pages_of_a_phone(
    browser, live_server, channel, hana, settings, tmp_path  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "files"
    install_demo_services(channel.organisation)
    reporter = _phone(browser, live_server)
    staff = _phone(browser, live_server)
    audit = Audit(reporter.page)
    try:
        receipt = _walk_report(audit, reporter, channel)

        audit.page = staff.page
        _walk_staff(audit, staff, hana)

        audit.page = reporter.page
        reporter.goto("/receipt/")
        audit.check("follow-up: enter the receipt")
        reporter.page.get_by_label("Your receipt").fill("not a receipt")
        reporter.page.get_by_role("button", name="Open my report").click()
        audit.check("follow-up: enter the receipt, with an error")
        reporter.page.get_by_label("Your receipt").fill(receipt)
        reporter.page.get_by_role("button", name="Open my report").click()
        expect(reporter.page).to_have_url(reporter.base + "/receipt/report/")
        expect(reporter.page.locator(".thread .from-handler")).to_be_visible()
        audit.check("follow-up, with the handler's reply")
        reporter.page.get_by_role("button", name="Send", exact=True).click()
        audit.check("follow-up, with an error")
    finally:
        reporter.context.close()
        staff.context.close()
    assert reporter.foreign_requests() == [] and staff.foreign_requests() == []
    audit.assert_clean()


def test_it_finds_no_wcag_problem_in_the_evidence_locker_on_a_phone(
    browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    write_whatsapp_export(chat, 200)
    visit = _phone(browser, live_server)
    page = visit.page
    audit = Audit(page)
    try:
        visit.goto("/locker/")
        audit.check("locker door")
        page.get_by_label("Your passphrase").fill("only three words")
        page.get_by_role("button", name="Open my locker").click()
        expect(page.locator(".error")).to_be_visible()
        audit.check("locker door, with an error")
        page.get_by_role("button", name="Make my locker").click()
        expect(page.locator("#passphrase")).to_be_visible()
        audit.check("locker created")
        page.get_by_role("link", name="I have written it down: go to my locker").click()
        expect(page.get_by_role("heading", name="Your evidence locker")).to_be_visible()
        audit.check("locker home, empty")

        nav = page.locator("nav.locker-nav")
        nav.get_by_role("link", name="Write down an incident").click()
        audit.check("incident form")
        page.get_by_label("A short title").fill("Messages after the party")
        page.get_by_label("When did it happen? (date)").fill("2026-03-02")
        page.get_by_label("If it went on for a while: until (date)").fill("2026-03-01")
        page.get_by_label("What happened?").fill("He sent me forty messages.")
        page.get_by_label("Links").fill(
            "https://social.example/some/very/long/address/that/does/not/break/anywhere/"
            "at/all/0123456789abcdef0123456789abcdef"
        )
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("This is before the start. Check both dates.")).to_be_visible()
        audit.check("incident form, with an error")
        page.get_by_label("If it went on for a while: until (date)").fill("2026-03-04")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Messages after the party")).to_be_visible()
        audit.check("incident")

        nav.get_by_role("link", name="Import messages").click()
        audit.check("import form")
        page.get_by_label("Your export").set_input_files(str(chat))
        page.get_by_role("button", name="Import").click()
        expect(page.locator("#import-summary")).to_contain_text("200 messages imported")
        audit.check("import counts")
        page.locator("#flag-counts tbody tr").first.get_by_role("link", name="Open").click()
        expect(page.get_by_role("heading", name="Before you read")).to_be_visible()
        audit.check("content warning")
        page.get_by_role("link", name="Show the messages").click()
        expect(page.locator("ol.messages li").first).to_be_visible()
        audit.check("imported messages")

        nav.get_by_role("link", name="Export a bundle").click()
        audit.check("export")
        nav.get_by_role("link", name="Share with my report").click()
        audit.check("share")
        nav.get_by_role("link", name="Locker").click()
        audit.check("locker home, with an incident and an import")
        visit.goto("/locker/delete/")
        audit.check("delete the locker")
    finally:
        visit.context.close()
    assert visit.foreign_requests() == []
    audit.assert_clean()
