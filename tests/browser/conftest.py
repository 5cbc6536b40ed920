"""Playwright for Python driving Debian's Chromium (/usr/bin/chromium), headless: no download.

`make test` installs the chromium package when it is missing; without it these tests fail with a
message that says so rather than skip silently.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("SAFELIGHT_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium calls Google's services at start-up, which this sandbox refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
NEUTRAL = "https://neutral.example/"


@pytest.fixture(scope="session")
def playwright():
    """One Playwright per test process: its synchronous API cannot be started twice in one."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's "
            "chromium package, or set SAFELIGHT_CHROMIUM."
        )
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class Visit:
    """A browser tab that records every request it makes, so tests can prove none left the site."""

    def __init__(self, context, live_server_url: str) -> None:
        self.context = context
        self.base = live_server_url
        self.page = context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        # The quick exit's neutral site, answered here: the sandbox has no outside network.
        context.route(
            NEUTRAL + "**",
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<title>Neutral</title><p>Weather</p>"
            ),
        )

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def foreign_requests(self) -> list[str]:
        ours = urlsplit(self.base).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).netloc != ours and not url.startswith(NEUTRAL)
        ]


@pytest.fixture(params=[False, True], ids=["no-javascript", "javascript"])
def visit(request, browser, live_server):
    context = browser.new_context(java_script_enabled=request.param)
    yield Visit(context, live_server.url)
    context.close()
