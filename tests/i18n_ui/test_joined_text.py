"""Sentences are one text to translate, and lists are joined the language's own way.

A sentence glued together in the template from translated pieces ("Reads every report:" then the
names, "within 3 days" then "."), or a list joined with ", " whatever the page's language,
cannot be translated well: a translator cannot move the names within the sentence, Chinese ends
it with "。" and separates a list with "、", Arabic, Persian and Urdu separate with "، ". The
landing, review and receipt pages and the locker's import pages put each sentence in one text
with placeholders, and join lists with `join_list` (safelight/templatetags/lists.py), whose
separator the translators set in the catalogue (msgctxt "list separator").

The catalogue entries these tests need are put in for the test and taken out again (as
tests/evidence/test_import_reasons_translated.py does): the tests are about what is looked up and
how it is put together, not about any catalogue's wording.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import template
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from safelight.templatetags.lists import join_list, with_role
from tests.intake import flow

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "safelight" / "templates"
# The pages whose sentences are built here from one text each.
ONE_TEXT_PAGES = ["intake/organisation.html", "intake/review.html", "intake/receipt.html",
                  "evidence/_import_body.html", "evidence/_messages_body.html"]

SEPARATOR = "list separator\x04, "
PERSON = "person and role\x04{name} ({role})"
SEPARATORS = {"ar": "، ", "fa": "، ", "ur": "، ", "zh-hans": "、"}


@contextmanager
def entries(language: str, found: dict):
    """The language active, with these catalogue entries standing in for its own (which come
    back afterwards). A plural entry's key is (msgid, form)."""
    with translation.override(language):
        catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
        first = catalog._catalogs[0]
        kept = {key: first[key] for key in found if key in first}
        first.update(found)
        try:
            yield
        finally:
            for key in found:
                if key in kept:
                    first[key] = kept[key]
                else:
                    first.pop(key, None)


def plural(singular: str, translated: str) -> dict:
    """Entries for a plural text (keyed by its singular), the same translation in every form."""
    return {(singular, form): translated for form in range(6)}


@dataclass
class Person:
    name: str
    role: str


# The filter itself -------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "separator"), sorted(SEPARATORS.items()))
def test_a_list_is_joined_with_the_separator_the_language_s_translators_set(language, separator):
    with entries(language, {SEPARATOR: separator}):
        assert join_list(["Sam", "Hana", "Ben"]) == f"Sam{separator}Hana{separator}Ben"
        isolated = join_list(["Sam", "Hana"], "bdi")
    if translation.get_language_info(language)["bidi"]:
        assert isolated == f"<bdi>Sam</bdi>{separator}<bdi>Hana</bdi>"
    else:
        assert isolated == f"Sam{separator}Hana"  # Latin on a left-to-right page needs nothing


def test_without_a_translation_it_is_a_comma_and_every_item_is_escaped():
    with translation.override("en"):
        assert join_list(["Hana <Ito>", "A&B"]) == "Hana &lt;Ito&gt;, A&amp;B"
        assert join_list(["سارا", "Ben"], "bdi") == "<bdi>سارا</bdi>, Ben"
        assert join_list([]) == "" and join_list(None) == ""
        assert join_list({"Sam": 3, "Hana": 2}) == "Sam, Hana"  # a dict's keys, in order
    with entries("fa", {SEPARATOR: "<،> "}):  # the separator is escaped too
        assert join_list(["a", "b"]) == "a&lt;،&gt; b"


def test_it_refuses_an_argument_it_does_not_know():
    with pytest.raises(template.TemplateSyntaxError):
        join_list(["a"], ", ")


def test_a_person_is_named_with_their_role_in_the_language_s_own_brackets():
    people = [Person("Hana Ito", "Investigator"), Person("<Ben>", "HR")]
    left, right = "\uff08", "\uff09"  # Chinese full-width brackets
    with entries("zh-hans", {PERSON: "{name}" + left + "{role}" + right, SEPARATOR: "、"}):
        html = Template("{% load lists %}{{ people|with_role|join_list }}").render(
            Context({"people": people}))
    assert html == f"Hana Ito{left}Investigator{right}、&lt;Ben&gt;{left}HR{right}"
    with translation.override("fa"):
        assert with_role(people[:1]) == ["<bdi>Hana Ito</bdi> (Investigator)"]
    assert with_role(None) == []


def test_translators_are_told_what_the_separator_and_the_brackets_are():
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext not found: install gettext (make test does)")
    po = subprocess.run(
        ["xgettext", "--language=Python", "--keyword=pgettext:1c,2", "--add-comments=Translators",
         "--from-code=UTF-8", "--output=-", str(ROOT / "safelight/templatetags/lists.py")],
        check=True, capture_output=True, text=True).stdout
    separator = re.search(r'((?:#\..*\n)+)(?:#.*\n)*msgctxt "list separator"\nmsgid ", "', po)
    assert separator, po
    assert "Arabic, Persian and Urdu" in separator.group(1)
    assert re.search(r'#\. Translators: a person and their role.*\n(?:#.*\n)*'
                     r'msgctxt "person and role"\nmsgid "\{name\} \(\{role\}\)"', po), po


# The templates -----------------------------------------------------------------------------------

# Glue: punctuation or a list's comma written in the template between translated pieces.
GLUE = {
    "a list joined in English": re.compile(r'\|(?:bdi_)?join:"|\{% if not forloop\.last %\}[,;]'),
    "punctuation after a translated text": re.compile(
        r'\{% end(?:blocktranslate|blocktrans) %\}[.,;:]|\{% (?:translate|trans) "[^"]*" %\}[:,;]'),
    "a colon after a link's words": re.compile(r"</a>:"),
}


@pytest.mark.parametrize("name", ONE_TEXT_PAGES)
def test_no_sentence_is_glued_from_pieces_in_the_template(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    found = {what: pattern.findall(source) for what, pattern in GLUE.items()}
    assert {what: hits for what, hits in found.items() if hits} == {}


@pytest.mark.parametrize(("name", "text"), [
    ("intake/organisation.html", "Reads every report: %(people)s"),
    ("intake/organisation.html", "The intake coordinators may give a report to: %(people)s"),
    ("intake/organisation.html",
     "May see your name, if you give it: %(names)s; and %(later)s, if given the report"),
    ("intake/organisation.html", "Someone confirms they have your report within %(days)s days."),
    ("intake/organisation.html",
     "They tell you what is being done within %(days)s days of that."),
    ("intake/review.html", "If you add them, only %(names)s could see them (and %(later)s, if it "
                           "is given to them)."),
    ("intake/review.html", "They will confirm they have it within %(days)s days."),
    ("intake/review.html", "Hidden details removed: %(details)s"),
    ("intake/review.html",
     "We cannot remove hidden details from this kind of file; it %(details)s."),
    ("intake/receipt.html", "Someone will confirm they have your report within %(days)s days."),
    ("evidence/_import_body.html", "Messages from %(names)s."),
    ("evidence/_import_body.html", "%(place)s: %(reason)s"),
    ("evidence/_messages_body.html", "Attachments: %(names)s"),
])
def test_each_sentence_is_one_text_for_the_translators(name, text):
    extracted = templatize((TEMPLATES / name).read_text(encoding="utf-8"), origin=name)
    assert repr(text) in extracted or f'"{text}"' in extracted, text


@pytest.mark.django_db
def test_a_translator_may_put_the_names_anywhere_in_the_sentence(client, channel):
    """The landing page in Persian, with a translation that puts the readers first: the names
    come where the translation puts them, joined by the Persian separator."""
    moved = {
        "Reads every report: %(people)s": "%(people)s READ EVERY REPORT",
        SEPARATOR: "، ",
    }
    with entries("fa", moved):
        page = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    readers = re.search(r'<p class="help readers-now">(.*?)</p>', page, re.S).group(1)
    people = re.findall(r"<bdi>([^<]+)</bdi> \(([^)<]+)\)", readers)
    assert len(people) == 2, readers
    assert readers.endswith(" READ EVERY REPORT") and "، <bdi>" in readers, readers
    assert ", " not in readers, readers


@pytest.mark.django_db
def test_a_sentence_ends_with_the_language_s_own_full_stop(client, channel):
    """Chinese ends a sentence with "。": the full stop is part of the translated text, so no
    English "." follows it on the review and receipt pages."""
    days = channel.acknowledge_days
    chinese = plural("They will confirm they have it within %(days)s day.",
                     "他们会在 %(days)s 天内确认收到。") | plural(
        "Someone will confirm they have your report within %(days)s day.",
        "有人会在 %(days)s 天内确认收到你的报告。")
    flow.report(client, channel, {}, submit=False)
    with entries("zh-hans", chinese):
        review = client.get(flow.review_url(channel), HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert review.status_code == 200
        page = review.content.decode()
        assert f"他们会在 {days} 天内确认收到。\n" in page, page
        assert "确认收到。." not in page
        sent = client.post(flow.review_url(channel), HTTP_ACCEPT_LANGUAGE="zh-CN")
        receipt = sent.content.decode()
        assert flow.RECEIPT.search(receipt), receipt  # the receipt page, shown once
    assert f"有人会在 {days} 天内确认收到你的报告。\n" in receipt, receipt
    assert "报告。." not in receipt
