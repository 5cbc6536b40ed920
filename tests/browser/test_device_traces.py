"""What the browser keeps: after a whole report, a follow-up and a locker session in a Chromium
with a real profile on disk, the profile's autofill and history say nothing of what the person
wrote, who they are, or what the site is for.

Chromium writes what it remembers of typed text (the `autofill` table of `Web Data`) when a form
is submitted, and the pages visited, with their titles, to `History`. The test reads those SQLite
files after the browser has closed. A control form on another (routed) site, without
`autocomplete="off"`, proves that this headless Chromium does save what is typed: without it an
empty table would prove nothing. Before Safelight's fields had `autocomplete="off"` everywhere,
the help directory's search words and the locker's "Platform" answer were saved; the titles
named the channel and the step, and the addresses the channel and the kind of help looked for.
(Chromium saves typed text of `<input>`s only, not of `<textarea>`s, and fields it takes for a
name or an email address go to address profiles, which it makes only from a whole address.)
Playwright takes over downloads, so Chromium does not record their names: the suggested name is
checked instead.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from safelight import demo
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, NEUTRAL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROL = "https://control.example/"
CONTROL_VALUE = "controlvalue4711"
CONTROL_PAGE = (
    '<title>Control</title><form method="get" action="/sent"><input type="text" name="control">'
    '<button type="submit">Go</button></form>'
)
NAME = "Marguerite Quillfeather"
CONTACT = "quillsafe.zx@example.org"
CANARY = "zqcanary"  # every free-text answer contains it, with a number
# What the demo's channels and organisation are for, and the kinds of help and of flagged
# messages: none of these may be kept by the browser (lower case; matched case-insensitively).
PURPOSE_WORDS = (
    "harassment", "abuse", "partner", "stalking", "threat", "violence", "intimate", "northwind",
)
CATEGORY_WORDS = (
    "legal", "medical", "mental_health", "technology_safety", "police", "shelter", "financial",
    "sexual", "insult", "exposure",
)


def _fill_free_text(page: Page, prefix: str, counter: list[int]) -> None:
    """Type a distinctive answer into every visible text box of the page."""
    boxes = page.query_selector_all(
        "main input[type=text], main input:not([type]), main input[type=email], "
        "main input[type=tel], main textarea"
    )
    for box in boxes:
        if not box.is_visible():
            continue
        name = box.get_attribute("name") or ""
        if name == "together_value":
            continue  # the report-together detail is typed below, on purpose
        if name == "q_name":
            box.fill(NAME)
        elif name == "q_contact":
            box.fill(CONTACT)
        elif name == "urls":
            counter[0] += 1
            box.fill(f"https://example.com/{CANARY}{counter[0]}")
        else:
            counter[0] += 1
            box.fill(f"{prefix} {CANARY}{counter[0]} he follows me")


def _write_report(page: Page, base: str) -> str:
    page.goto(base + "/demo/")
    page.get_by_role("link", name="Report: Abuse by a partner or ex-partner").click()
    page.get_by_role("button", name="Start").click()
    counter = [0]
    for _ in range(12):
        if page.url.endswith("/review/"):
            break
        _fill_free_text(page, "answer", counter)
        forward = page.get_by_role("button", name="Review my report")
        if not forward.count():
            forward = page.get_by_role("button", name="Continue", exact=True)
        forward.click()
    expect(page).to_have_url(re.compile(r".*/review/$"))
    assert counter[0] >= 3, "the questionnaire had too few text boxes to prove anything"
    page.get_by_role("button", name="Send my report").click()
    receipt = page.locator("#receipt code").inner_text()
    return receipt


def _follow_up(page: Page, base: str, receipt: str) -> None:
    page.goto(base + "/receipt/")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Open my report").click()
    expect(page).to_have_url(base + "/receipt/report/")
    page.get_by_label("Your message").fill(f"message {CANARY}90 he came to my door")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".thread .from-reporter")).to_contain_text(f"{CANARY}90")


def _help_directory(page: Page, base: str) -> None:
    page.goto(base + "/demo/help/")
    page.get_by_label("Words to look for").fill(f"{CANARY}95")
    page.get_by_label("Kind of help").select_option("police")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_be_visible()


def _locker(page: Page, base: str) -> None:
    page.goto(base + "/locker/")
    page.get_by_role("button", name="Make my locker").click()
    passphrase = page.locator("#passphrase").inner_text().strip()
    page.get_by_role("link", name="I have written it down: go to my locker").click()
    page.get_by_role("button", name="Close my locker").click()
    page.get_by_label("Your passphrase").fill(passphrase)
    page.get_by_role("button", name="Open my locker").click()
    expect(page.get_by_role("heading", name="Your evidence locker")).to_be_visible()
    page.goto(base + "/locker/incidents/new/")
    counter = [50]
    _fill_free_text(page, "incident", counter)
    page.get_by_label("What kind of abuse was it?").select_option(index=1)
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text(f"{CANARY}51").first).to_be_visible()
    page.goto(base + "/locker/export/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the bundle").click()
    download = download_info.value
    assert re.fullmatch(r"export-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename), (
        download.suggested_filename)
    download.path()  # wait until it is complete, so History records it


def _control(page: Page) -> None:
    """A form Chromium may remember, to prove that it remembers what is typed here."""
    page.goto(CONTROL)
    page.locator("input[name=control]").fill(CONTROL_VALUE)
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(CONTROL + "sent?**")


def _rows(database: Path, query: str) -> list[tuple]:
    # A copy: Chromium may have left the file locked in WAL mode.
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute(query).fetchall()
    except sqlite3.OperationalError:
        return []  # a table this Chromium does not have
    finally:
        connection.close()


def _tables(database: Path) -> list[str]:
    return [row[0] for row in _rows(database, "SELECT name FROM sqlite_master WHERE type='table'")]


def _texts(database: Path, tables: list[str]) -> list[str]:
    found = []
    for table in tables:
        for row in _rows(database, f'SELECT * FROM "{table}"'):  # noqa: S608 - our own names
            for value in row:
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if isinstance(value, str) and value:
                    found.append(f"{table}: {value}")
    return found


def test_it_leaves_nothing_revealing_in_the_browser_profile(playwright, live_server, tmp_path,
                                                            settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    demo.seed()
    profile = tmp_path / "profile"
    base = live_server.url
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        accept_downloads=True,
    )
    context.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, body="ok"))
    context.route(CONTROL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=CONTROL_PAGE))
    page = context.pages[0] if context.pages else context.new_page()
    receipt = _write_report(page, base)
    _follow_up(page, base, receipt)
    _help_directory(page, base)
    _locker(page, base)
    _control(page)
    page.goto("about:blank")
    context.close()

    web_data, history = profile / "Default" / "Web Data", profile / "Default" / "History"
    assert web_data.exists() and history.exists(), sorted(p.name for p in profile.rglob("*"))
    autofill_tables = [t for t in _tables(web_data)
                       if t.startswith(("autofill", "address", "local_address", "contact_info"))]
    assert "autofill" in autofill_tables
    kept = _texts(web_data, autofill_tables)
    assert any(CONTROL_VALUE in line for line in kept), f"Chromium saved no autofill: {kept}"
    kept = [line for line in kept if CONTROL_VALUE not in line and line != "autofill: control"]
    visits = [(url, title) for url, title in _rows(history, "SELECT url, title FROM urls")
              if not url.startswith(CONTROL)]
    titles_and_urls = [f"{url} | {title}" for url, title in visits]
    # One neutral title for every page of the report, follow-up, help and locker flows.
    assert {title for url, title in visits if url.startswith(base)} == {"Online form"}, visits
    downloads = [" | ".join(str(v) for v in row) for row in
                 _rows(history, "SELECT target_path, current_path, tab_url FROM downloads")]
    downloads += [row[0] for row in _rows(history, "SELECT url FROM downloads_url_chains")]
    # The test is only worth something if Chromium really recorded the visits.
    assert any("/receipt/report/" in line for line in titles_and_urls), titles_and_urls

    everything = [*kept, *titles_and_urls, *downloads]
    forbidden = [CANARY, NAME.lower(), "quillfeather", CONTACT, receipt.replace(" ", "")[:8],
                 *PURPOSE_WORDS, *CATEGORY_WORDS, "evidence-bundle"]
    leaks = [(word, line) for line in everything for word in forbidden
             if word.lower() in line.lower()]
    assert leaks == [], "\n".join(f"{word!r} in {line}" for word, line in leaks)
