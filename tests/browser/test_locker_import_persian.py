"""The evidence locker in Persian, on a phone without JavaScript: a survivor whose browser asks
for Persian makes her locker, imports a small WhatsApp chat export, and reads the import's summary
in Persian, right to left, with the importer's reasons for what it skipped in Persian too, and the
chat's Latin handles isolated so that they do not take the Persian punctuation around them.

The screenshot of the summary goes to `SAFELIGHT_SCREENSHOT_DIR` when that is set
(docs/screenshots/issue15-locker-import-fa.png was taken so).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from safelight.evidence.importing import place
from tests.browser.conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HANDLES = ("night_owl_88", "Sara K.")
# A chat as WhatsApp on Android writes it, with a line of binary noise inside it and a message
# with bytes that are not UTF-8: the importer skips the first, keeps the second, and says why.
CHAT = (
    b"05/03/2025, 22:41 - night_owl_88: I know where you are tonight\n"
    b"\x00\x01\x02\x1b[31m noise\n"
    + "05/03/2025, 22:43 - Sara K.: \u0644\u0637\u0641\u0627\u064b \u0646\u0647\n".encode()
    + b"06/03/2025, 07:02 - night_owl_88: answer me \xff\xfe or everyone sees the photos\n"
    b"06/03/2025, 07:30 - Sara K.: Stop.\n"
)
NOISE = "This line holds unreadable binary data, not chat text; it was skipped."
BAD_BYTES = ("Some bytes in this message are not valid UTF-8 text; they are shown as \ufffd. "
             "The message was imported and its original bytes are kept.")


def fa(text: str) -> str:
    """Safelight's Persian for `text`, and proof that the catalogue has it."""
    with translation.override("fa"):
        found = translation.gettext(text)
    assert found != text, f"no Persian translation of {text!r}"
    return found


def test_a_persian_import_summary_reads_right_to_left_with_latin_handles_isolated(
        browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    chat = tmp_path / "WhatsApp Chat with night_owl_88.txt"
    chat.write_bytes(CHAT)
    visit = Visit(browser.new_context(java_script_enabled=False, locale="fa-IR",
                                      viewport=PHONE), live_server.url)
    page = visit.page
    html = page.locator("html")

    visit.goto("/")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name=fa("Open the evidence locker")).click()
    page.get_by_role("button", name=fa("Make my locker")).click()
    expect(page.locator("#passphrase")).to_be_visible()
    page.get_by_role("link", name=fa("I have written it down: go to my locker")).click()
    expect(page.get_by_role("heading", name=fa("Your evidence locker"))).to_be_visible()

    page.locator("nav.locker-nav").get_by_role("link", name=fa("Import messages")).click()
    expect(html).to_have_attribute("lang", "fa")
    page.get_by_label(fa("Your export")).set_input_files(str(chat))
    page.get_by_role("button", name=fa("Import"), exact=True).click()

    # The summary: Persian, right to left, Safelight's headings in Persian.
    expect(page.locator("#import-summary")).to_be_visible()
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("body")).to_have_css("direction", "rtl")
    for heading in ("Flagged messages", "What could not be read"):
        expect(page.get_by_role("heading", name=fa(heading))).to_be_visible()
    with translation.override("fa"):
        imported = translation.ngettext("%(n)s message imported.", "%(n)s messages imported.",
                                        4) % {"n": 4}
        lines = [place("line 2"), place("line 4")]
    assert imported != "4 messages imported." and lines[0] != "line 2"
    expect(page.locator("#import-summary")).to_contain_text(imported)

    # The importer's reasons, and the places it names, in Persian.
    skipped = page.locator("section.panel", has=page.get_by_role(
        "heading", name=fa("What could not be read"))).locator("li")
    expect(skipped).to_have_count(2)
    for item, line, reason in zip(skipped.all(), lines, (NOISE, BAD_BYTES), strict=True):
        text = item.inner_text()
        assert line in text and fa(reason) in text, text

    # The chat's Latin handles: isolated in the file name and in the list of who wrote.
    title = page.get_by_role("heading", level=1)
    expect(title.locator("bdi")).to_have_text(chat.name)
    senders = page.locator("#import-senders bdi")
    expect(senders).to_have_text(list(HANDLES))
    for handle in senders.all():
        assert handle.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
        assert handle.evaluate("e => getComputedStyle(e).direction") == "ltr"
    with translation.override("fa"):
        separator = translation.pgettext("list separator", ", ")
    listed = page.locator("#import-senders").inner_text()
    assert f"night_owl_88{separator}Sara K." in listed, listed  # the language's own separator

    # Nothing runs off the phone's screen.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert visit.foreign_requests() == []

    shot = tmp_path / "issue15-locker-import-fa.png"
    page.screenshot(path=shot, full_page=True)
    if folder := os.environ.get("SAFELIGHT_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(folder) / shot.name)
    visit.context.close()
