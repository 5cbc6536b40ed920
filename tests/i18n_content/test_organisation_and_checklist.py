"""The organisation's landing texts and the risk checklist are data, written once a language
(issue 15, item 2): a reporter reads them in the page's language, else in the organisation's
default language; the administrator sees which languages are missing; the default checklist
comes in every language; a new checklist version keeps every translation."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from safelight.accounts.actions import create_organisation, save_organisation
from safelight.accounts.models import Organisation
from safelight.audit.models import Event
from safelight.triage import default_checklist
from safelight.triage.actions import install_default_checklist, new_version, save_item
from safelight.triage.models import CHECKLIST_TEXTS, ITEM_TEXTS, RiskChecklist

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def add_language(organisation: Organisation, code: str, **texts: str) -> None:
    organisation.set_current_language(code)
    for field, value in texts.items():
        setattr(organisation, field, value)
    save_organisation(organisation=organisation)


def test_it_shows_the_landing_page_in_spanish_with_the_organisations_spanish_texts(
    organisation, client
):
    add_language(organisation, "es", introduction="Leemos cada informe en dos días laborables.",
                 urgent_help="Servicios de emergencia: 112", page_title="Formularios Acme")
    spanish = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Leemos cada informe en dos días laborables." in spanish
    assert "Servicios de emergencia: 112" in spanish
    assert "We read every report within two working days." not in spanish
    assert title(spanish) == "Formularios Acme"
    english = client.get("/acme/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We read every report within two working days." in english
    assert "Leemos cada informe" not in english
    assert title(english) != "Formularios Acme"


def test_a_reader_of_a_missing_language_gets_the_organisations_default_language(client):
    create_organisation(name="Nordwind", slug="nordwind", default_language="de",
                        introduction="Wir lesen jede Meldung innerhalb von zwei Arbeitstagen.",
                        urgent_help="Notruf: 112")
    organisation = Organisation.objects.get(slug="nordwind")
    assert list(organisation.get_available_languages()) == ["de"]
    arabic = client.get("/nordwind/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar"' in arabic  # the page itself is in Arabic...
    # ...and the organisation's own words, which it has only in German, are German.
    assert "Wir lesen jede Meldung innerhalb von zwei Arbeitstagen." in arabic
    assert "Notruf: 112" in arabic


def test_the_administration_shows_which_languages_are_missing(organisation, staff_client):
    page = staff_client.get(f"/staff/admin/accounts/organisation/{organisation.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Not yet translated into:" in html
    assert "Español" in html and "العربية" in html
    assert "the organisation&#x27;s default language" in html or \
        "the organisation's default language" in html
    assert 'name="default_language"' in html
    listing = staff_client.get("/staff/admin/accounts/organisation/").content.decode()
    assert "<del>es</del>" in listing and "<del>en</del>" not in listing


def test_an_administrator_adds_a_language_in_its_tab_audited_and_the_others_kept(
    organisation, administrator, staff_client
):
    url = f"/staff/admin/accounts/organisation/{organisation.pk}/change/?language=fr"
    response = staff_client.post(url, {
        "name": "Acme Platform", "slug": "acme", "default_language": "en",
        "quick_exit_url": "", "introduction": "Nous lisons chaque signalement.",
        "urgent_help": "Urgences : 112", "page_title": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert sorted(fresh.get_available_languages()) == ["en", "fr"]
    fresh.set_current_language("fr")
    assert fresh.introduction == "Nous lisons chaque signalement."
    fresh.set_current_language("en")
    assert fresh.introduction == "We read every report within two working days."
    assert Event.objects.filter(action="organisation.change", actor=administrator.user).exists()
    # An administrator of one organisation sees no other's.
    other = create_organisation(name="Beta", slug="beta")
    assert staff_client.get(
        f"/staff/admin/accounts/organisation/{other.pk}/change/").status_code in (302, 403, 404)


def test_the_default_checklist_exists_in_every_language_after_install(organisation):
    checklist = install_default_checklist(organisation=organisation)
    assert sorted(checklist.get_available_languages()) == sorted(CODES)
    items = list(checklist.items.prefetch_related("translations"))
    assert len(items) == 10
    for item in items:
        assert sorted(item.get_available_languages()) == sorted(CODES)
    # Each language's words are that language's catalogue's.
    for code in ("es", "ar", "zh-hans"):
        with translation.override(code):
            expected = default_checklist.items()
            fresh = RiskChecklist.objects.get(pk=checklist.pk)
            assert fresh.name == default_checklist.name()
            assert [item.question for item in fresh.items.all()] == [
                spec["question"] for spec in expected]
    with translation.override("es"):
        spanish = RiskChecklist.objects.get(pk=checklist.pk).name
    assert spanish != RiskChecklist.objects.get(pk=checklist.pk).name  # the catalogue has it


def words(checklist: RiskChecklist) -> dict:
    found = {}
    for row in checklist.translations.all():
        found[("checklist", row.language_code)] = tuple(getattr(row, f) for f in CHECKLIST_TEXTS)
    for item in checklist.items.prefetch_related("translations"):
        for row in item.translations.all():
            found[(item.key, row.language_code)] = tuple(getattr(row, f) for f in ITEM_TEXTS)
    return found


def test_a_new_checklist_version_keeps_every_translation(organisation):
    checklist = install_default_checklist(organisation=organisation)
    item = checklist.items.get(key="threats")
    item.set_current_language("sw")
    item.handler_label = "Vitisho vya kuua au kudhuru (yetu)"
    save_item(item=item)
    copy = new_version(checklist=checklist)
    assert copy.version == 2 and copy.pk != checklist.pk
    kept = words(copy)
    assert kept == words(checklist)
    assert len(kept) == 11 * len(CODES)
    assert kept[("threats", "sw")][1] == "Vitisho vya kuua au kudhuru (yetu)"
    # The copy is the administrator's to change, one language at a time: the original keeps its
    # words.
    copied = copy.items.get(key="threats")
    copied.set_current_language("es")
    copied.question = "¿Le han amenazado?"
    save_item(item=copied)
    assert words(checklist)[("threats", "es")][0] != "¿Le han amenazado?"


def test_the_checklist_administration_has_language_tabs_and_says_what_is_translated(
    organisation, staff_client
):
    checklist = install_default_checklist(organisation=organisation)
    page = staff_client.get(f"/staff/admin/triage/riskchecklist/{checklist.pk}/change/?language=es")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Translated into every language." in html
    assert "?language=ar" in html  # a tab a language
    with translation.override("es"):
        spanish = default_checklist.items()[0]["question"]
    assert spanish in html  # the items follow the tab's language
