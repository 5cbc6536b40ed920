"""Issue 15, "content is data, and data is translated": a referral service's words and the
shipped reply templates in every language.

A service's words (what it offers, who it is for, hours, cost, accessibility) are written one
language at a time; a reader gets them in the page's language, else in the organisation's
default language. The default reply templates are installed in every language Safelight speaks,
their words from the gettext catalogues, honestly unreviewed.
"""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from safelight.accounts.content import in_every_language
from safelight.accounts.models import Organisation
from safelight.cases.default_templates import templates
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.cases.reply_templates import ReviewState, placeholders_in, review_status
from safelight.cases.template_actions import install_default_templates
from safelight.referrals import access
from safelight.referrals.actions import import_hsds, save_service
from safelight.referrals.exports import export_file
from safelight.referrals.models import Category, Service
from safelight.referrals.text import referral_text
from tests.referrals.conftest import make_service

URL = "/acme/help/"
CHANGELIST = "/staff/admin/referrals/service/"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

FRENCH = {
    "description": "Conseil juridique gratuit sur les ordonnances de protection.",
    "hours": "Du lundi au vendredi, 10 h-16 h",
    "eligibility": "Toute personne qui vit à Westmoor.",
    "cost": "Gratuit",
    "accessibility": "Interprètes sur demande.",
}
SPANISH = {
    "description": "Asesoría jurídica gratuita sobre órdenes de protección.",
    "hours": "De lunes a viernes, de 10:00 a 16:00",
    "eligibility": "Cualquier persona que viva en Westmoor.",
    "cost": "Gratis",
    "accessibility": "Intérpretes a petición.",
}


def write(service: Service, language: str, texts: dict[str, str]) -> Service:
    """The service's words in one language, through the audited action."""
    service.set_current_language(language)
    for name, value in texts.items():
        setattr(service, name, value)
    return save_service(service=service)


@pytest.fixture
def french_organisation(organisation):
    """The fixture's organisation, writing its texts in French first."""
    Organisation.objects.filter(pk=organisation.pk).update(default_language="fr")
    organisation.refresh_from_db()
    return organisation


@pytest.fixture
def law_clinic(french_organisation):
    service = make_service(french_organisation, name="Westmoor Law Centre", phone="0808 157 0101",
                           categories=[Category.LEGAL])
    write(service, "fr", FRENCH)
    return write(service, "es", SPANISH)


# A service's words ---------------------------------------------------------------------------


def test_a_spanish_reader_reads_the_service_in_spanish(client, law_clinic):
    content = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for text in SPANISH.values():
        assert text in content
    assert FRENCH["description"] not in content
    assert "Westmoor Law Centre" in content  # the name is the same in every language


def test_a_reader_of_a_missing_language_reads_the_organisation_s_default_language(
        client, law_clinic):
    content = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for text in FRENCH.values():
        assert text in content
    assert SPANISH["description"] not in content
    with translation.override("ar"):
        service = Service.objects.get(pk=law_clinic.pk)
        assert service.description == FRENCH["description"]
        assert service.missing_languages() == [c for c in LANGUAGES if c not in ("fr", "es")]


def test_the_directory_page_reads_every_service_s_words_at_once(client, french_organisation):
    def queries(count: int) -> int:
        for n in range(count):
            write(make_service(french_organisation, name=f"Service {n}"), "fr", FRENCH)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, HTTP_ACCEPT_LANGUAGE="de").status_code == 200
        Service.objects.all().delete()
        return len(captured)

    assert queries(1) == queries(4)  # no query a service, fallback or not


def test_the_search_finds_a_service_by_its_words_in_any_language(law_clinic, organisation):
    write(make_service(organisation, name="Harbour Counselling"), "fr",
          {"description": "Un soutien psychologique, gratuit."})
    found = access.search_services(organisation, text="jurídica")
    assert list(found) == [law_clinic]
    both = access.search_services(organisation, text="gratuit")  # French, and Spanish "gratuita"
    assert [s.name for s in both] == ["Harbour Counselling", "Westmoor Law Centre"]
    assert not access.search_services(organisation, text="jurídica psychologique").exists()


def test_a_referral_in_a_reply_is_in_the_reply_s_language(law_clinic):
    with translation.override("en"):
        service = access.services_by_ids(law_clinic.organisation, [law_clinic.pk])[0]
        spanish = referral_text(service, "es")
        german = referral_text(service, "de")
        assert service.get_current_language() == "en"  # as it was
    assert SPANISH["description"] in spanish and SPANISH["hours"] in spanish
    assert FRENCH["description"] in german and FRENCH["cost"] in german


def test_hsds_import_and_export_use_the_organisation_s_default_language(
        law_clinic, french_organisation):
    with translation.override("es"):  # the page the export is asked from says nothing
        exported = json.loads(export_file(french_organisation, "json").content)
    (item,) = exported["contents"]
    assert item["description"] == FRENCH["description"]
    assert item["fees_description"] == FRENCH["cost"]

    item["description"] = "Conseil juridique gratuit, aussi le samedi."
    with translation.override("es"):
        result = import_hsds(organisation=french_organisation,
                             file=io.BytesIO(json.dumps(exported).encode()))
    assert (result.created, result.updated, result.skipped) == (0, 1, [])
    service = Service.objects.get(pk=law_clinic.pk)
    service.set_current_language("fr")
    assert service.description == "Conseil juridique gratuit, aussi le samedi."
    service.set_current_language("es")
    assert service.description == SPANISH["description"]  # the other languages are kept


def test_the_admin_says_which_languages_are_missing(staff_client, law_clinic):
    page = staff_client.get(f"{CHANGELIST}{law_clinic.pk}/change/").content.decode()
    status = page.split("Not yet translated into:")[1].split("</div>")[0]
    missing, instead = status.split("</strong>")
    # English too, though the page opens on the English tab (an unsaved, empty translation)
    for name in ("English", "Deutsch", "العربية", "简体"):
        assert name in missing
    assert "Español" not in missing and "Français" not in missing
    assert "in Français" in instead  # what their readers read instead

    listing = staff_client.get(CHANGELIST).content.decode()
    assert ">es</span>" in listing and ">fr</span>" in listing
    assert "<del>de</del>" in listing and "<del>en</del>" in listing


def test_the_admin_writes_one_language_at_a_time(staff_client, law_clinic):
    url = f"{CHANGELIST}{law_clinic.pk}/change/?language=de"
    form = staff_client.get(url).context["adminform"].form
    assert form.initial.get("description", "") == ""  # an untranslated tab starts empty
    assert form["categories"].value() == [Category.LEGAL]
    response = staff_client.post(url, {
        "organisation": law_clinic.organisation_id, "name": "Westmoor Law Centre",
        "phone": "0808 157 0101", "categories": [Category.LEGAL, Category.POLICE],
        "active": "on", "last_verified": "2026-01-15",
        "description": "Kostenlose Rechtsberatung.", "hours": "", "cost": "Kostenlos",
        "eligibility": "", "accessibility": "",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    service = Service.objects.get(pk=law_clinic.pk)
    assert sorted(service.get_available_languages()) == ["de", "es", "fr"]
    assert service.category_codes() == [Category.LEGAL, Category.POLICE]
    service.set_current_language("de")
    assert (service.description, service.cost) == ("Kostenlose Rechtsberatung.", "Kostenlos")
    service.set_current_language("fr")
    assert service.description == FRENCH["description"]


def test_a_change_on_a_language_s_tab_adds_no_empty_translation(staff_client, law_clinic):
    # The administrator's page is in German: the form opens on the German tab, its words empty.
    url = f"{CHANGELIST}{law_clinic.pk}/change/?language=de"
    response = staff_client.post(url, {
        "organisation": law_clinic.organisation_id, "name": "Westmoor Law Centre",
        "phone": "0808 157 0202", "categories": [Category.LEGAL], "active": "on",
        "description": "", "hours": "", "cost": "", "eligibility": "", "accessibility": "",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    with translation.override("de"):
        service = Service.objects.get(pk=law_clinic.pk)
        assert service.phone == "0808 157 0202"
        assert sorted(service.get_available_languages()) == ["es", "fr"]
        assert service.description == FRENCH["description"]  # not a blank German one


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_service_s_words_in_its_organisation_s_language():
    executor = MigrationExecutor(connection)
    latest = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "referrals"]
    try:
        old = executor.migrate([("referrals", "0001_initial")]).apps
        OldOrganisation = old.get_model("accounts", "Organisation")
        OldService = old.get_model("referrals", "Service")
        english = OldOrganisation.objects.create(name="Acme", slug="acme")
        french = OldOrganisation.objects.create(name="Bêta", slug="beta", default_language="fr")
        OldService.objects.create(organisation=english, name="Helpline", description="Day or "
                                  "night.", hours="24 hours", cost="Free")
        OldService.objects.create(organisation=french, name="Ligne", description="Jour et nuit.",
                                  eligibility="Adultes")
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        with translation.override("de"):
            helpline = Service.objects.get(name="Helpline")
            ligne = Service.objects.get(name="Ligne")
            assert list(helpline.get_available_languages()) == ["en"]
            assert list(ligne.get_available_languages()) == ["fr"]
            assert (helpline.description, helpline.hours, helpline.cost) == (
                "Day or night.", "24 hours", "Free")
            assert (ligne.description, ligne.eligibility) == ("Jour et nuit.", "Adultes")
    finally:
        MigrationExecutor(connection).migrate(latest)


# The shipped reply templates -------------------------------------------------------------------


def test_the_default_templates_come_in_every_language_and_install_once(organisation):
    added = install_default_templates(organisation=organisation)
    assert len(added) == len(LANGUAGES) * len(TemplateKind.values)
    shipped = in_every_language(templates)
    english = {spec["kind"]: spec["body"] for spec in shipped["en"]}
    for language in LANGUAGES:
        rows = ReplyTemplate.objects.filter(organisation=organisation, language=language)
        assert sorted(rows.values_list("kind", flat=True)) == sorted(TemplateKind.values)
        by_kind = {spec["kind"]: spec for spec in shipped[language]}
        for template in rows:
            assert (template.name, template.body) == (
                by_kind[template.kind]["name"], by_kind[template.kind]["body"])
            assert review_status(template).state == ReviewState.NOT_REVIEWED
            assert set(placeholders_in(template.body)) == set(
                placeholders_in(english[template.kind]))
            if language != "en":
                assert template.body != english[template.kind]

    assert install_default_templates(organisation=organisation) == []
    assert ReplyTemplate.objects.filter(organisation=organisation).count() == len(added)


def test_installing_again_adds_only_what_is_missing(organisation):
    install_default_templates(organisation=organisation)
    ReplyTemplate.objects.filter(language="ar", kind=TemplateKind.OUTCOME).delete()
    ReplyTemplate.objects.filter(language="zh-hans").delete()
    again = install_default_templates(organisation=organisation)
    assert sorted((t.language, t.kind) for t in again) == sorted(
        [("ar", TemplateKind.OUTCOME)] + [("zh-hans", kind) for kind in TemplateKind.values])
    assert all(t.reviewer == "" and t.reviewed_on is None for t in again)
