"""The case knows the reporter's language (issue 15), in Chromium without JavaScript.

A report is written in Arabic (the browser's language) and sent. The handler, whose pages are in
English, sees "Arabic" on the case page, starts the reply from the organisation's Arabic
template and sends it. The reporter then follows up from a browser set to English (another
device, say): the follow-up page is in Arabic, right to left, with the reply.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.reports.models import Message, Report
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import confirmed_device, staff_sign_in
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WHAT_HAPPENED = "يرسل لي مديري رسائل كل ليلة من حساب مجهول."
TEMPLATE_BODY = "شكرا لك. وصلنا بلاغك {reference} وسنرد عليك هنا."


def t(language: str, text: str) -> str:
    """What Safelight says in that language (and proof that the catalogue translates it)."""
    with translation.override(language):
        found = translation.gettext(text)
    assert found != text, f"no {language} translation of {text!r}"
    return found


def in_arabic(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def _write_report_in_arabic(visit: Visit) -> str:
    page, base = visit.page, visit.base
    visit.goto("/acme/work/")
    in_arabic(page)
    page.get_by_role("button", name=t("ar", "Start"), exact=True).click()
    page.locator("textarea[name=q_what_happened]").fill(WHAT_HAPPENED)
    for _ in range(12):
        review = page.get_by_role("button", name=t("ar", "Review my report"))
        if review.count():
            review.click()
            break
        page.get_by_role("button", name=t("ar", "Continue"), exact=True).click()
    expect(page).to_have_url(base + "/acme/work/review/")
    page.get_by_role("button", name=t("ar", "Send my report")).click()
    expect(page.get_by_role("heading", name=t("ar", "Your report was sent"))).to_be_visible()
    return page.locator("#receipt code").inner_text()


def _reply_with_the_arabic_template(browser, base: str, hana, template) -> None:  # noqa: F811
    report = Report.objects.get()
    staff = Visit(browser.new_context(java_script_enabled=False, locale="en-GB"), base)
    page = staff.page
    try:
        staff_sign_in(page, base, hana, confirmed_device(hana))
        staff.goto(f"/staff/reports/{report.pk}/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#reporter-language")).to_have_text(
            "Reporter's language: Arabic (العربية)")
        expect(page.get_by_text(WHAT_HAPPENED)).to_be_visible()

        page.get_by_text("Start from a reviewed template, add referrals").click()
        page.get_by_label("Template").select_option(str(template.pk))
        page.get_by_role("button", name="Put it in the reply").click()
        body = page.get_by_label("Reply to the reporter")
        expect(body).to_have_value(TEMPLATE_BODY.replace("{reference}", report.reference))
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_text("Your reply was sent.")).to_be_visible()
        assert staff.foreign_requests() == []
    finally:
        staff.context.close()


def test_an_arabic_report_is_answered_from_an_arabic_template_and_read_in_arabic(
    browser, live_server, channel, hana, organisation, settings, tmp_path  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "files"
    base = live_server.url
    ReplyTemplate.objects.create(organisation=organisation, kind=TemplateKind.ACKNOWLEDGEMENT,
                                 name="Acknowledgement", language="en",
                                 body="Thank you: we received report {reference}.")
    arabic = ReplyTemplate.objects.create(
        organisation=organisation, kind=TemplateKind.ACKNOWLEDGEMENT, name="إقرار بالاستلام",
        language="ar", body=TEMPLATE_BODY)

    writer = Visit(browser.new_context(java_script_enabled=False, locale="ar",
                                       viewport=PHONE), base)
    try:
        receipt = _write_report_in_arabic(writer)
        assert writer.foreign_requests() == []
    finally:
        writer.context.close()

    _reply_with_the_arabic_template(browser, base, hana, arabic)
    reply = Message.objects.get(author=hana)
    assert reply.template_use.template == arabic

    # Following up from a browser set to English: the page speaks the report's language.
    reader = Visit(browser.new_context(java_script_enabled=False, locale="en-GB",
                                       viewport=PHONE), base)
    page = reader.page
    try:
        reader.goto("/receipt/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator("input[name=receipt]").fill(receipt)
        page.get_by_role("button", name="Open my report").click()
        expect(page).to_have_url(base + "/receipt/report/")
        in_arabic(page)
        expect(page.get_by_role("heading", name=t("ar", "Your report"), exact=True)
               ).to_be_visible()
        message = page.locator(".thread .from-handler .body")
        expect(message).to_contain_text(
            TEMPLATE_BODY.replace("{reference}", Report.objects.get().reference))
        expect(message).to_have_css("direction", "rtl")
        assert reader.foreign_requests() == []
    finally:
        reader.context.close()
