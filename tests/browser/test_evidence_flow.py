"""The evidence locker in a real browser, without JavaScript: make a locker, import a WhatsApp
export of 5,000 messages, see the counts first, read one category after its warning, export a
bundle, verify it offline, change one byte and see the verifier name the item."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from bench.evidence_data import write_whatsapp_export
from safelight.evidence.verify import verify_bundle
from tests.browser.conftest import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_survivor_imports_5000_messages_and_exports_a_bundle_that_verifies(
        browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    write_whatsapp_export(chat, 5000)
    visit = Visit(browser.new_context(java_script_enabled=False, accept_downloads=True),
                  live_server.url)
    page = visit.page

    visit.goto("/")
    page.get_by_role("link", name="Open the evidence locker").click()
    page.get_by_role("button", name="Make my locker").click()
    passphrase = page.locator("#passphrase").inner_text().strip()
    assert len(passphrase.split()) == 7
    page.get_by_role("link", name="I have written it down: go to my locker").click()
    page.get_by_role("button", name="Close my locker").click()
    page.get_by_label("Your passphrase").fill(passphrase.upper())
    page.get_by_role("button", name="Open my locker").click()
    expect(page.get_by_role("heading", name="Your evidence locker")).to_be_visible()

    page.locator("nav.locker-nav").get_by_role("link", name="Import messages").click()
    page.get_by_label("Your export").set_input_files(str(chat))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-summary")).to_contain_text("5000 messages imported")
    counts = {row.get_attribute("data-category"): int(row.locator(".count").inner_text())
              for row in page.locator("#flag-counts tbody tr").all()}
    assert set(counts) == {"threat", "sexual", "insult", "exposure", "control"}
    assert counts["threat"] > 0 and counts["insult"] > 0
    expect(page.locator("ol.messages")).to_have_count(0)  # counts only, no message text

    page.locator("tr[data-category=threat]").get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", name="Before you read")).to_be_visible()
    expect(page.locator("ol.messages")).to_have_count(0)  # nothing shown before the choice
    page.get_by_role("link", name="Show the messages").click()
    expect(page.locator("ol.messages li").first).to_be_visible()

    page.locator("nav.locker-nav").get_by_role("link", name="Export a bundle").click()
    page.get_by_role("radio", name=re.compile(r"All 5000 messages")).check()
    with page.expect_download(timeout=180_000) as download_info:
        # The PDF of 5,000 items takes a while on a shared 2-core machine.
        page.get_by_role("button", name="Download the bundle").click(timeout=180_000)
    bundle = tmp_path / "bundle.zip"
    download_info.value.save_as(bundle)
    assert visit.foreign_requests() == []

    result = verify_bundle(bundle)
    assert result.ok, result.problems
    assert result.items_matched >= 5000

    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        item = next(i for i in manifest["items"] if i["leaf"]["kind"] == "message")
        info = archive.getinfo(item["path"])
    data = bytearray(bundle.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30],
                                  "little")
    data[info.header_offset + 30 + name_length + extra_length] ^= 0x20
    changed = tmp_path / "changed.zip"
    changed.write_bytes(bytes(data))
    result = verify_bundle(changed)
    assert not result.ok
    assert [p.part for p in result.problems] == [item["path"]] or all(
        item["path"] in p.part for p in result.problems), result.problems
    visit.context.close()
