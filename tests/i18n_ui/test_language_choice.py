"""The language of the pages: the browser's Accept-Language first, then the person's own choice,
made without JavaScript, kept in a session cookie only, and deleted by Quick exit."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from safelight.intake import drafts
from tests.intake import flow

pytestmark = pytest.mark.django_db

LANG = re.compile(r'<html lang="([^"]+)" dir="(ltr|rtl)">')
RTL = {"ar", "fa", "ur"}
CHOOSER = re.compile(
    r'<form method="post" action="/i18n/setlang/"[^>]*\bclass="language-list"[^>]*>(.*?)</form>',
    re.S)


def html_lang(response) -> tuple[str, str]:
    match = LANG.search(response.content.decode())
    assert match, response.content.decode()[:500]
    return match.group(1), match.group(2)


def translated(language: str, text: str) -> str:
    with translation.override(language):
        found = translation.gettext(text)
    assert found != text, f"{text!r} has no {language} translation to test with"
    return found


def choose(client: Client, language: str, next_url: str, **headers):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, **headers)


def test_the_browser_s_language_is_the_first_guess(client, channel):
    response = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(response) == ("es", "ltr")
    page = unescape(response.content.decode())
    assert translated("es", "Choose where your report goes") in page
    assert "Choose where your report goes" not in page


def test_arabic_pages_run_right_to_left(client, channel):
    response = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="ar")
    assert html_lang(response) == ("ar", "rtl")
    assert translated("ar", "Choose where your report goes") in unescape(response.content.decode())


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_every_language_has_its_lang_and_direction_on_the_landing_page(client, channel, code):
    response = client.get("/acme/", HTTP_ACCEPT_LANGUAGE=code)
    assert html_lang(response) == (code, "rtl" if code in RTL else "ltr")


@pytest.mark.parametrize(("accept", "expected"), [
    ("fa-IR,fa;q=0.9", "fa"), ("ur-PK", "ur"), ("zh-CN,zh;q=0.9", "zh-hans"), ("pt", "pt-br"),
    ("fil-PH", "fil"), ("tl", "fil"), ("de-AT", "de"), ("xx, sw;q=0.5", "sw"), ("ja", "en"),
])
def test_it_understands_the_ways_browsers_name_languages(client, channel, accept, expected):
    assert html_lang(client.get("/acme/", HTTP_ACCEPT_LANGUAGE=accept))[0] == expected


def test_filipino_is_known_to_django_by_its_own_name():
    info = translation.get_language_info("fil")
    assert (info["name"], info["name_local"], info["bidi"]) == ("Filipino", "Filipino", False)


def test_the_chooser_lists_every_language_in_its_own_name_and_script(client, channel):
    page = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    chooser = CHOOSER.search(page).group(1)
    buttons = re.findall(
        r'<button type="submit" name="language" value="([^"]+)" lang="([^"]+)" dir="(ltr|rtl)"'
        r'( aria-current="true")?>([^<]+)</button>', chooser)
    assert [(value, name) for value, _lang, _dir, _current, name in buttons] == [
        (code, str(name)) for code, name in settings.LANGUAGES]
    for value, lang, direction, current, _name in buttons:
        assert lang == value and direction == ("rtl" if value in RTL else "ltr")
        assert bool(current) == (value == "ar")
    assert "العربية" in chooser and "中文（简体）" in chooser and "Español" in chooser  # noqa: RUF001
    # It goes back to this page; nothing else travels with it, and no token sets a cookie.
    assert '<input type="hidden" name="next" value="/acme/">' in chooser
    assert "csrfmiddlewaretoken" not in chooser
    # Its label is translated: "Language", for a screen reader, next to the globe.
    assert f'<span class="visually-hidden">{translated("ar", "Language")}:</span>' in page


def test_reading_a_page_with_the_chooser_sets_no_cookie(client, channel):
    for path in ("/acme/", "/help/safety/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fa")
        assert response.status_code == 200, path
        assert CHOOSER.search(response.content.decode()), path
        assert not response.cookies, (path, response.cookies)
    # Pages with a form of their own set the CSRF cookie that form needs, and nothing more.
    for path in ("/acme/help/", "/acme/work/", "/receipt/", "/locker/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fa")
        assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}, (path, response.cookies)


def test_choosing_sets_only_a_session_cookie_and_returns_to_the_same_page(client, channel):
    response = choose(client, "ar", "/acme/work/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"] == "/acme/work/"
    assert list(response.cookies) == [settings.LANGUAGE_COOKIE_NAME] == ["safelight_language"]
    morsel = response.cookies["safelight_language"]
    assert morsel.value == "ar"
    assert morsel["max-age"] == "" and morsel["expires"] == ""  # gone when the browser closes
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert bool(morsel["secure"]) == settings.SESSION_COOKIE_SECURE
    # The chosen language wins over the browser's.
    page = client.get("/acme/work/", HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(page) == ("ar", "rtl")


def test_the_cookie_is_secure_when_the_site_is(client, channel, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    assert choose(client, "fa", "/acme/").cookies["safelight_language"]["secure"] is True


def test_it_returns_only_to_this_site(client, channel):
    response = choose(client, "es", "https://elsewhere.example/acme/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["safelight_language"].value == "es"


def test_it_refuses_a_choice_made_from_another_site(client, channel):
    for headers in ({"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_SEC_FETCH_SITE": "same-site"},
                    {"HTTP_ORIGIN": "https://elsewhere.example"}):
        response = choose(client, "ar", "/acme/", **headers)
        assert response.status_code == 403, headers
        assert not response.cookies
    assert html_lang(client.get("/acme/"))[0] == "en"


def test_it_ignores_a_language_it_does_not_speak(client, channel):
    response = choose(client, "xx", "/acme/")
    assert response.status_code == 302 and not response.cookies
    assert client.get("/i18n/setlang/").status_code == 405  # only the form's POST


def test_choosing_in_the_middle_of_a_report_keeps_the_draft(client, channel):
    flow.start(client, channel)
    draft_cookie = client.cookies[drafts.COOKIE].value
    flow.answer(client, channel, 1, {"q_what_happened": "Messages from @night_owl every night."})
    response = choose(client, "ar", flow.step_url(channel, 2))
    assert response["Location"] == flow.step_url(channel, 2)
    assert drafts.COOKIE not in response.cookies  # the draft's cookie is not touched
    assert client.cookies[drafts.COOKIE].value == draft_cookie
    step = client.get(flow.step_url(channel, 1))
    assert html_lang(step) == ("ar", "rtl")
    assert "Messages from @night_owl every night." in step.content.decode()
    for number in range(2, channel.questionnaire.steps.count() + 1):
        assert flow.answer(client, channel, number, {}).status_code == 302
    review = client.get(flow.review_url(channel)).content.decode()
    assert "Messages from @night_owl every night." in review
    sent = client.post(flow.review_url(channel)).content.decode()
    assert flow.RECEIPT.search(sent)
    assert translated("ar", "Your report was sent") in sent


def test_quick_exit_deletes_the_chosen_language(client, channel):
    choose(client, "ur", "/acme/")
    assert client.cookies["safelight_language"].value == "ur"
    response = client.get("/exit/")
    morsel = response.cookies["safelight_language"]
    assert morsel.value == "" and morsel["max-age"] == 0 and morsel["path"] == "/"
    assert not [name for name, morsel in client.cookies.items() if morsel.value]
    assert html_lang(client.get("/acme/"))[0] == "en"


def test_every_reporter_and_locker_page_has_the_chooser(client, channel):
    receipt = flow.report(client, channel, {1: {"q_what_happened": "It happened."}})
    flow.start(client, channel)
    pages = ["/acme/", "/acme/help/", "/help/safety/", "/acme/work/",
             flow.step_url(channel, 1), flow.review_url(channel), "/receipt/", "/locker/",
             "/no/such/page/", "/staff/sign-in/"]
    for path in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ur")
        assert html_lang(response) == ("ur", "rtl"), path
        chooser = CHOOSER.search(response.content.decode())
        assert chooser, path
        assert f'name="next" value="{path}"' in chooser.group(1), path
    client.post("/receipt/", {"receipt": receipt})
    followup = client.get("/receipt/report/", HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert CHOOSER.search(followup)
    made = client.post("/locker/new/", HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert CHOOSER.search(made)
    for path in ("/locker/home/", "/locker/incidents/new/", "/locker/imports/new/",
                 "/locker/export/", "/locker/share/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ur")
        assert response.status_code == 200, path
        assert CHOOSER.search(response.content.decode()), path


def test_the_page_that_shows_nothing_offers_nothing(client, channel):
    """After Quick exit, Back lands on "no longer available": it says nothing about the site,
    and offers no chooser either (it would name the page's address)."""
    response = client.get(flow.step_url(channel, 1), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 410
    assert html_lang(response) == ("ar", "rtl")
    assert not CHOOSER.search(response.content.decode())
