"""The check of a phone's apps in a real browser without JavaScript, on a 390 px phone: from
the organisation's page (once the lead links it) to the check, a pasted package list, the
findings with the safety note in place, and no request to another host (issue 16)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safelight.intake import urls as intake_urls
from safelight.techcheck import matching
from tests.browser.conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.techcheck.urls_for_tests")]

PHONE = {"width": 390, "height": 844}
START = "/acme/help/check/"
PACKAGES = (
    "package:/data/app/~~a==/com.whatsapp-b==/base.apk=com.whatsapp  "
    "installer=com.android.vending uid:10231\n"
    "package:/data/app/~~c==/com.thetruth-d==/base.apk=com.thetruth  installer=null uid:10241\n"
    "package:/system/app/Bluetooth/Bluetooth.apk=com.android.bluetooth  installer=null uid:1002\n"
)
# Whether the page scrolls sideways: read by Playwright, the page's own scripts stay off.
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


def _wired() -> bool:
    return any(getattr(p, "urlconf_name", None) == "safelight.techcheck.urls"
               for p in intake_urls.urlpatterns)


def test_a_survivor_checks_a_pasted_package_list_on_a_phone_without_javascript(
        browser, live_server, organisation):
    visit = Visit(browser.new_context(java_script_enabled=False, viewport=PHONE),
                  live_server.url)
    page = visit.page
    try:
        if _wired():
            # The landing page's link to the check (the lead adds it with the include).
            visit.goto("/acme/")
            page.locator(f'a[href="{START}"]').first.click()
        else:
            visit.goto(START)
        expect(page.get_by_role("heading", level=1)).to_have_text("Check a phone's apps")
        expect(page.get_by_role("heading", name="Safety first")).to_be_visible()
        expect(page.get_by_text("adb shell pm list packages -f -i -U")).to_be_visible()
        assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"]

        page.get_by_role("link", name="Start the check").click()
        page.get_by_label("Paste the text here").fill(PACKAGES)
        page.get_by_role("button", name="Check the apps").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("What the check found")
        finding = page.locator("article.finding").filter(
            has=page.get_by_role("heading", name="Known stalkerware: TheTruthSpy"))
        expect(finding).to_have_count(1)
        expect(finding.locator("code")).to_have_text("com.thetruth")
        expect(finding.locator(".safety-note")).to_have_text(matching.safety_note())
        expect(page.get_by_role("heading", name="Likely")).to_be_visible()
        expect(page.get_by_text("Stalkerware indicators by Echap, CC-BY 4.0")).to_be_visible()
        expect(page.get_by_text("3 apps were checked.")).to_be_visible()
        assert page.evaluate(SCROLL_WIDTH) <= PHONE["width"]
        # The title stays neutral: it is kept in the browser's history.
        assert "stalkerware" not in page.title().lower()
        assert visit.foreign_requests() == []
    finally:
        visit.context.close()
