"""A whole report in the person's own language, in a phone-sized Chromium without JavaScript.

In Spanish the person chooses the language with the chooser on the landing page of an English
browser; in Arabic the browser's own language is the first guess. From the landing page to the
receipt, then, after a handler has replied, the follow-up page with the reply: every page is in
that language (right to left in Arabic), and nothing is fetched from another host. Then: the
chooser in the middle of a report keeps the draft and returns to the same page, Back after
choosing shows the page before, and Quick exit deletes the chosen language.

The questionnaire's own questions are organisation data, installed in the language active when
it was made (English here); the test finds its fields by name, and everything Safelight itself
says by its translation in the catalogue.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from safelight.reports.models import Report
from tests.browser.conftest import NEUTRAL, Visit
from tests.browser.flow_helpers import confirmed_device, staff_sign_in
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WHAT_HAPPENED = {
    "es": "Mi jefe me manda mensajes por la noche desde la cuenta @night_owl_88.",
    "ar": "يرسل لي مديري رسائل كل ليلة من الحساب @night_owl_88 منذ 3 مارس.",
}
REPLY = {
    "es": "Hemos recibido su informe. ¿Desde cuándo llegan los mensajes?",
    "ar": "وصلنا بلاغك. منذ متى تصلك الرسائل؟",
}


def t(language: str, text: str) -> str:
    """What Safelight says in that language (and proof that the catalogue translates it)."""
    with translation.override(language):
        found = translation.gettext(text)
    assert found != text, f"no {language} translation of {text!r}"
    return found


def in_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def choose(page: Page, name: str) -> None:
    """Open the chooser (a <details>, no script needed) and press a language."""
    page.locator(".language-chooser summary").click()
    page.locator(".language-list").get_by_role("button", name=name, exact=True).click()


def phone(browser, *, locale: str, javascript: bool = False):
    return browser.new_context(java_script_enabled=javascript, locale=locale, viewport=PHONE)


def _write_report(visit: Visit, language: str) -> str:
    page, base = visit.page, visit.base
    visit.goto("/acme/")
    if language == "es":
        in_language(page, "en")
        choose(page, "Español")
        expect(page).to_have_url(base + "/acme/")  # back on the same page
    in_language(page, language)
    expect(page.get_by_role("heading", name=t(language, "Choose where your report goes"))
           ).to_be_visible()
    page.locator("a.button", has_text="Harassment at work").click()
    expect(page).to_have_url(base + "/acme/work/")
    in_language(page, language)
    page.get_by_role("button", name=t(language, "Start"), exact=True).click()

    for number in range(1, 12):
        expect(page).to_have_url(base + f"/acme/work/step/{number}/")
        in_language(page, language)
        if number == 1:
            box = page.locator("textarea[name=q_what_happened]")
            expect(box).to_have_attribute("dir", "auto")
            box.fill(WHAT_HAPPENED[language])
        review = page.get_by_role("button", name=t(language, "Review my report"))
        if review.count():
            review.click()
            break
        page.get_by_role("button", name=t(language, "Continue"), exact=True).click()

    expect(page).to_have_url(base + "/acme/work/review/")
    in_language(page, language)
    expect(page.get_by_role("heading", name=t(language, "Check your report before you send it"))
           ).to_be_visible()
    answer = page.locator(".review-step dd", has_text=WHAT_HAPPENED[language])
    expect(answer).to_have_attribute("dir", "auto")
    expect(answer).to_have_css("direction", "rtl" if language == "ar" else "ltr")
    page.get_by_role("button", name=t(language, "Send my report")).click()

    expect(page.get_by_role("heading", name=t(language, "Your report was sent"))).to_be_visible()
    in_language(page, language)
    receipt = page.locator("#receipt code")
    expect(receipt).to_have_css("direction", "ltr")  # its groups in order, right to left or not
    text = receipt.inner_text()
    assert re.fullmatch(r"[0-9 ]+", text) and len(text.replace(" ", "")) == 28, text
    # Its first group is shown first, to the left of the second, on an Arabic page too.
    first, second = page.evaluate("""() => {
        const text = document.querySelector("#receipt code").firstChild;
        const at = (i) => {
            const range = document.createRange();
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            const box = range.getBoundingClientRect();
            return [box.left, box.top];
        };
        return [at(0), at(5)];
    }""")
    assert first[1] == second[1] and first[0] < second[0], (first, second)
    return text


def _reply_as_handler(browser, base: str, hana, language: str) -> None:  # noqa: F811
    report = Report.objects.get()
    staff = Visit(browser.new_context(java_script_enabled=False, locale="en-GB"), base)
    try:
        staff_sign_in(staff.page, base, hana, confirmed_device(hana))
        staff.goto(f"/staff/reports/{report.pk}/")
        expect(staff.page.get_by_text(WHAT_HAPPENED[language])).to_be_visible()
        staff.page.get_by_label("Reply to the reporter").fill(REPLY[language])
        staff.page.get_by_role("button", name="Send reply").click()
        expect(staff.page.get_by_text("Your reply was sent.")).to_be_visible()
        assert staff.foreign_requests() == []
    finally:
        staff.context.close()


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_whole_report_and_its_reply_in_the_person_s_own_language(
    browser, live_server, channel, hana, settings, tmp_path, language  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "files"
    base = live_server.url
    visit = Visit(phone(browser, locale="en-GB" if language == "es" else "ar"), base)
    try:
        receipt = _write_report(visit, language)
        _reply_as_handler(browser, base, hana, language)

        page = visit.page
        visit.goto("/receipt/")
        in_language(page, language)
        page.locator("input[name=receipt]").fill(receipt)
        page.get_by_role("button", name=t(language, "Open my report")).click()
        expect(page).to_have_url(base + "/receipt/report/")
        in_language(page, language)
        expect(page.get_by_role("heading", name=t(language, "Your report"), exact=True)
               ).to_be_visible()
        reply = page.locator(".thread .from-handler .body")
        expect(reply).to_contain_text(REPLY[language])
        expect(reply).to_have_css("direction", "rtl" if language == "ar" else "ltr")
        expect(page.get_by_role("heading", name=t(language, "Send a message"))).to_be_visible()
        # Nothing wider than the phone, and nothing from another host, on any page.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert visit.foreign_requests() == []
    finally:
        visit.context.close()


def test_choosing_mid_report_keeps_the_draft_and_back_shows_the_page_before(
    browser, live_server, channel  # noqa: F811
):
    base = live_server.url
    visit = Visit(phone(browser, locale="en-GB"), base)
    page = visit.page
    try:
        visit.goto("/acme/work/")
        page.get_by_role("button", name="Start", exact=True).click()
        page.locator("textarea[name=q_what_happened]").fill(WHAT_HAPPENED["ar"])
        page.get_by_role("button", name="Continue", exact=True).click()
        expect(page).to_have_url(base + "/acme/work/step/2/")

        choose(page, "العربية")
        expect(page).to_have_url(base + "/acme/work/step/2/")
        in_language(page, "ar")
        # The step's own Back: step 1 comes back, in Arabic, with what was written.
        page.get_by_role("button", name=t("ar", "Back"), exact=True).click()
        expect(page).to_have_url(base + "/acme/work/step/1/")
        in_language(page, "ar")
        expect(page.locator("textarea[name=q_what_happened]")).to_have_value(WHAT_HAPPENED["ar"])

        # The browser's Back: the pages before, fetched again, in the chosen language; never the
        # language address, and nothing that was not on the site before.
        seen = []
        for _ in range(3):
            page.go_back()
            seen.append(page.url)
            assert "/i18n/" not in page.url, page.url
            in_language(page, "ar")
        assert seen[0] == base + "/acme/work/step/2/", seen

        # A language can be chosen again, and English comes back.
        choose(page, "English")
        in_language(page, "en")
        assert visit.foreign_requests() == []
    finally:
        visit.context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_quick_exit_forgets_the_chosen_language(browser, live_server, channel, javascript):  # noqa: F811
    base = live_server.url
    visit = Visit(phone(browser, locale="en-GB", javascript=javascript), base)
    page = visit.page
    try:
        visit.goto("/acme/")
        assert not visit.context.cookies()  # reading sets no cookie, chooser or not
        choose(page, "اردو")
        in_language_ur = page.locator("html")
        expect(in_language_ur).to_have_attribute("lang", "ur")
        cookie = {c["name"]: c for c in visit.context.cookies()}["safelight_language"]
        assert cookie["value"] == "ur" and cookie["expires"] == -1 and cookie["httpOnly"]
        assert cookie["sameSite"] == "Lax"
        page.wait_for_load_state("domcontentloaded")
        page.get_by_role("link", name=t("ur", "Quick exit")).click()
        page.wait_for_url(NEUTRAL)

        def left() -> list[str]:
            return [c["name"] for c in visit.context.cookies() if c["value"]]

        for _ in range(100):  # with JavaScript the beacon's answer deletes it a moment later
            if not left():
                break
            page.wait_for_timeout(100)
        assert left() == []
        visit.goto("/acme/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        visit.context.close()
