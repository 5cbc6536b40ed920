"""Moving the organisation's landing texts (accounts 0007) and the risk checklists' words
(triage 0002) into translation tables keeps every word (issue 15): each becomes the translation
in the organisation's default language. Written through the schema before the move, read back
through today's models; then back again, where the old columns get the words once more."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from safelight.accounts.models import Organisation
from safelight.triage.models import RiskChecklist

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0006_languages"), ("triage", "0001_initial")]


def _migrate(targets):
    """Migrate to `targets`; return the historical models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_before_the_move(apps) -> tuple[int, int]:
    OldOrganisation = apps.get_model("accounts", "Organisation")
    english = OldOrganisation.objects.create(
        name="Acme", slug="acme", introduction="We read every report.",
        urgent_help="Emergency services: 112", page_title="Acme forms")
    german = OldOrganisation.objects.create(
        name="Nordwind", slug="nordwind", default_language="de",
        introduction="Wir lesen jede Meldung.", urgent_help="Notruf: 112", page_title="")
    checklist = apps.get_model("triage", "RiskChecklist").objects.create(
        organisation=german, version=1, name="Sicherheitsfragen", introduction="Alles freiwillig.",
        elevated_at=3, urgent_at=8, published=True)
    apps.get_model("triage", "RiskItem").objects.create(
        checklist=checklist, position=0, key="threats", question="Wurden Sie bedroht?",
        handler_label="Drohungen", reason="Starker Risikofaktor.", weight=6, urgent_alone=True)
    return english.pk, checklist.pk


def test_every_word_becomes_the_default_languages_translation_and_comes_back():
    try:
        english_pk, checklist_pk = _write_before_the_move(_migrate(BEFORE))
    finally:
        _migrate(_latest())

    english = Organisation.objects.get(pk=english_pk)
    assert list(english.get_available_languages()) == ["en"]
    german = Organisation.objects.get(slug="nordwind")
    assert list(german.get_available_languages()) == ["de"]
    checklist = RiskChecklist.objects.get(pk=checklist_pk)
    assert list(checklist.get_available_languages()) == ["de"]
    with translation.override("es"):  # no Spanish: each reads its default language
        english = Organisation.objects.get(pk=english_pk)
        assert (english.introduction, english.urgent_help, english.page_title) == (
            "We read every report.", "Emergency services: 112", "Acme forms")
        german = Organisation.objects.get(slug="nordwind")
        assert (german.introduction, german.urgent_help) == (
            "Wir lesen jede Meldung.", "Notruf: 112")
        checklist = RiskChecklist.objects.get(pk=checklist_pk)
        item = checklist.items.get()
        assert (checklist.name, checklist.introduction) == (
            "Sicherheitsfragen", "Alles freiwillig.")
        assert (item.question, item.handler_label, item.reason, item.weight) == (
            "Wurden Sie bedroht?", "Drohungen", "Starker Risikofaktor.", 6)

    try:
        old = _migrate(BEFORE)
        back = old.get_model("accounts", "Organisation").objects.get(pk=english_pk)
        assert (back.introduction, back.urgent_help, back.page_title) == (
            "We read every report.", "Emergency services: 112", "Acme forms")
        old_item = old.get_model("triage", "RiskItem").objects.get(checklist_id=checklist_pk)
        assert (old_item.question, old_item.handler_label, old_item.checklist.name) == (
            "Wurden Sie bedroht?", "Drohungen", "Sicherheitsfragen")
    finally:
        _migrate(_latest())
