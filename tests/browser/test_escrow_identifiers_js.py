"""identifiers.js in Chromium gives the same canonical strings and error codes as the server.

Every case of tests/escrow/data/identifier_cases.json runs through safelight/escrow/identifiers.py
and, in a real browser, through safelight/static/escrow/identifiers.js with the vendored
libphonenumber-js, both served by Safelight's own static files.
"""

from __future__ import annotations

import pytest
from django.templatetags.static import static

from safelight.escrow.identifiers import ERROR_MESSAGES, SERVICE_LABELS, load_services
from tests.browser.conftest import Visit
from tests.escrow.test_identifiers import CASES, outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPTS = ["escrow/vendor/libphonenumber-min.js", "escrow/identifiers.js"]

RUN_ALL = """([cases, services]) => cases.map(([kind, text, region]) => {
  try {
    return {ok: SafelightIdentifiers.canonicalise(kind, text, region, services)};
  } catch (error) {
    return error.code ? {error: error.code, other: error.other} : {crash: String(error)};
  }
})"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context()
    visit = Visit(context, live_server.url)
    assert visit.goto("/help/safety/").status == 200
    for script in SCRIPTS:
        visit.page.add_script_tag(url=live_server.url + static(script))
    yield visit
    context.close()


def test_it_gives_the_same_answer_as_the_server_for_every_case(page):
    inputs = [[kind, text, region] for kind, region, text, *_rest in CASES]
    in_browser = page.page.evaluate(RUN_ALL, [inputs, load_services()])
    differences = [
        (kind, region, text, on_server, there)
        for (kind, text, region), there in zip(inputs, in_browser, strict=True)
        if there != (on_server := outcome(kind, text, region))
    ]
    assert differences == []
    assert len(in_browser) == len(CASES)
    assert page.foreign_requests() == []


def test_it_serves_the_scripts_from_this_site(page):
    for script in SCRIPTS:
        response = page.page.request.get(page.base + static(script))
        assert response.status == 200
        assert "javascript" in response.headers["content-type"]
    assert page.page.evaluate("typeof libphonenumber.parsePhoneNumberFromString") == "function"
    assert all(url.startswith(page.base) for url in page.requests)


def test_it_words_an_error_with_the_pages_messages(page):
    messages = {code: str(message) for code, message in ERROR_MESSAGES.items()}
    labels = {code: str(label) for code, label in SERVICE_LABELS.items()}
    shown = page.page.evaluate(
        """([services, messages, labels]) => {
          try {
            SafelightIdentifiers.canonicalise("instagram", "vm.tiktok.com/ZMabc/", "", services);
          } catch (error) {
            return SafelightIdentifiers.message(error, messages, labels);
          }
        }""",
        [load_services(), messages, labels],
    )
    assert shown == (
        "This looks like a TikTok link. To name a TikTok account, choose TikTok in the list."
    )
