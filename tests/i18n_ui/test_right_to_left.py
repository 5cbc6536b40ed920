"""Right-to-left done properly: mirrored CSS, isolated values, dir="auto" where people write, and
fonts that come from the device, never from another host."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import translation

from safelight.templatetags.bidi import bdi, bdi_join, dir_auto
from tests.intake import flow

PHYSICAL = re.compile(r"(?<![-\w])(left|right)\b|-(left|right)\b|margin-(top|bottom)|"
                      r"padding-(top|bottom)|border-(top|bottom)")


def stylesheets() -> list[str]:
    return [finders.find("safelight/site.css")]


def read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def test_the_stylesheet_uses_logical_properties_only():
    for path in stylesheets():
        rules = re.sub(r"/\*.*?\*/", "", read(path), flags=re.S)
        assert PHYSICAL.findall(rules) == [], path


def test_the_stylesheet_fetches_nothing():
    for path in stylesheets():
        text = read(path)
        assert "@import" not in text and "url(" not in text, path
        # A font face may only name a font the device already has.
        for source in re.findall(r"@font-face\s*{[^}]*?src:([^;]*);", text):
            assert re.fullmatch(r'\s*local\("[^"]+"\)(,\s*local\("[^"]+"\))*', source), source


def test_it_names_fonts_for_every_script_it_speaks():
    text = read(finders.find("safelight/site.css"))
    for font in ("Noto Naskh Arabic", "Noto Nastaliq Urdu", "Noto Sans CJK SC",
                 "Noto Sans Devanagari", "Noto Sans Bengali"):
        assert f'"{font}"' in text, font
    assert re.search(r"body:lang\(ur\) \{ line-height: 2", text)


def test_bdi_isolates_and_escapes_on_a_right_to_left_page():
    with translation.override("ar"):
        assert bdi("Hana <Ito>") == "<bdi>Hana &lt;Ito&gt;</bdi>"
        assert bdi("") == "" and bdi(None) == ""
        assert bdi_join(["Hana", "<b>Ben</b>"], " & ") == (
            "<bdi>Hana</bdi> &amp; <bdi>&lt;b&gt;Ben&lt;/b&gt;</bdi>")


def test_on_a_left_to_right_page_it_isolates_only_right_to_left_values():
    with translation.override("es"):
        assert bdi("Hana <Ito> (HR)") == "Hana &lt;Ito&gt; (HR)"  # reads the same either way
        assert bdi("سارا (منابع انسانی)") == "<bdi>سارا (منابع انسانی)</bdi>"
        assert bdi("Ben אבן") == "<bdi>Ben אבן</bdi>"
        assert bdi_join(["Hana", "سارا"]) == "Hana, <bdi>سارا</bdi>"


@pytest.mark.parametrize(("language", "name"), [
    ("ar", "<bdi>A&amp;B (demo)</bdi>"), ("en", "A&amp;B (demo)"),
])
def test_bdi_inside_a_translated_sentence(language, name):
    with translation.override(language):
        html = Template('{% load bidi i18n %}{% blocktranslate with name=org|bdi %}Tell {{ name }} '
                        'what happened{% endblocktranslate %}').render(
                            Context({"org": "A&B (demo)"}))
        sentence = translation.gettext("Tell %(name)s what happened")
    assert html == sentence % {"name": name}
    assert (sentence == "Tell %(name)s what happened") is (language == "en")


class Writing(forms.Form):
    text = forms.CharField()
    long = forms.CharField(widget=forms.Textarea)
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput)
    number = forms.IntegerField()
    tick = forms.BooleanField()
    pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


def test_dir_auto_goes_on_fields_people_type_into_only():
    form = Writing()
    for name in ("text", "long", "email", "secret"):
        assert 'dir="auto"' in dir_auto(form[name]), name
    for name in ("number", "tick", "pick"):
        assert 'dir="auto"' not in dir_auto(form[name]), name
        assert dir_auto(form[name]) == str(form[name])
    # Everything else of the field is as {{ field }} renders it.
    assert dir_auto(form["text"]).replace(' dir="auto"', "") == str(form["text"])


@pytest.mark.django_db
def test_a_step_s_text_boxes_and_a_thread_s_messages_take_their_own_direction(client, channel):
    flow.start(client, channel)
    step = client.get(flow.step_url(channel, 1), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    textarea = re.search(r'<textarea name="q_what_happened"[^>]*>', step).group(0)
    assert 'dir="auto"' in textarea and 'autocomplete="off"' in textarea
    # The channel's name, organisation data, is isolated in the translated progress line.
    assert "· <bdi>Harassment at work</bdi>" in step


@pytest.mark.django_db
def test_names_in_the_review_s_sentences_are_isolated(client, channel):
    flow.report(client, channel, {}, submit=False)
    review = client.get(flow.review_url(channel), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    readers = re.search(r'<ul class="readers readers-now">(.*?)</ul>', review, re.S).group(1)
    assert re.search(r"<li><bdi>[^<]+</bdi> · ", readers), readers


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_host(client, channel):
    receipt = flow.report(client, channel, {1: {"q_what_happened": "It happened."}})
    flow.start(client, channel)
    paths = ["/acme/", "/acme/help/", "/help/safety/", "/acme/work/",
             flow.step_url(channel, 1), flow.review_url(channel), "/receipt/", "/locker/",
             "/no/such/page/"]
    pages = [client.get(path, HTTP_ACCEPT_LANGUAGE="ur").content.decode() for path in paths]
    client.post("/receipt/", {"receipt": receipt})
    pages.append(client.get("/receipt/report/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode())
    for page in pages:
        loads = re.findall(r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*'
                           r'(?:src|href)="([^"]*)"', page)
        assert loads, page[:300]
        assert all(url.startswith("/") and not url.startswith("//") for url in loads), loads
        assert "@import" not in page and "url(" not in page
