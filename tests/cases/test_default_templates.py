"""The default reply templates: one of each kind, placeholders known, honestly unreviewed."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from safelight.audit.models import Event
from safelight.cases.default_templates import templates
from safelight.cases.models import ReplyTemplate, TemplateKind
from safelight.cases.reply_templates import (
    ReviewState,
    placeholders_in,
    render,
    review_status,
    validate_placeholders,
)
from safelight.cases.template_actions import install_default_templates
from safelight.reports.models import Report
from tests.intake import flow

SAFE_DEVICE = "from a device they cannot reach"


def test_it_installs_one_unreviewed_template_of_each_kind(organisation, administrator):
    added = install_default_templates(organisation=organisation, languages=["en"],
                                      actor=administrator.user)
    assert sorted(t.kind for t in added) == sorted(TemplateKind.values)
    for template in ReplyTemplate.objects.filter(organisation=organisation):
        assert (template.language, template.version, template.active) == ("en", 1, True)
        assert template.reviewer == "" and template.reviewed_on is None
        assert review_status(template).state == ReviewState.NOT_REVIEWED
        assert template.revisions.get().body == template.body
    assert Event.objects.filter(action="replytemplate.create", actor=administrator.user,
                                organisation=organisation).count() == 6


def test_it_installs_nothing_twice(organisation):
    install_default_templates(organisation=organisation, languages=["en"])
    ReplyTemplate.objects.filter(kind=TemplateKind.REFERRAL).delete()
    again = install_default_templates(organisation=organisation, languages=["en"])
    assert [t.kind for t in again] == [TemplateKind.REFERRAL]
    assert install_default_templates(organisation=organisation, languages=["en"]) == []
    assert ReplyTemplate.objects.count() == 6


def test_it_stores_no_english_text_under_another_language(organisation, monkeypatch):
    # Japanese is not one of Safelight's languages: nothing is stored under "ja".
    assert install_default_templates(organisation=organisation, languages=["ja"]) == []
    # A catalogue that lacks a template's translation: that template is left out of that
    # language (a later install adds it once the catalogue has it), the rest goes in.
    from safelight.cases import template_actions

    def german_without_the_outcome():
        specs = templates()
        if translation.get_language() == "de":
            with translation.override("en"):
                english = {spec["kind"]: spec for spec in templates()}
            specs = [english[s["kind"]] if s["kind"] == TemplateKind.OUTCOME else s
                     for s in specs]
        return specs

    monkeypatch.setattr(template_actions, "templates", german_without_the_outcome)
    added = install_default_templates(organisation=organisation, languages=["de", "en"])
    german = {t.kind for t in added if t.language == "de"}
    assert german == set(TemplateKind.values) - {TemplateKind.OUTCOME}
    assert {t.kind for t in added if t.language == "en"} == set(TemplateKind.values)
    assert not ReplyTemplate.objects.filter(language="de").filter(
        body__startswith="Hello,").exists()
    monkeypatch.undo()
    again = install_default_templates(organisation=organisation, languages=["de", "en"])
    assert [(t.language, t.kind) for t in again] == [("de", TemplateKind.OUTCOME)]


@pytest.mark.parametrize("spec", templates(), ids=lambda spec: spec["kind"])
def test_it_uses_only_known_placeholders_and_claims_no_review(spec):
    validate_placeholders(spec["body"])
    assert "{reference}" in spec["body"] and "{handler}" in spec["body"]
    text = f"{spec['name']} {spec['body']}".lower()
    assert "reviewed" not in text and "expert" not in text and "approved" not in text


@pytest.mark.parametrize("spec", templates(), ids=lambda spec: spec["kind"])
def test_it_never_blames_or_asks_for_a_retelling(spec):
    body = spec["body"].lower()
    for blaming in ("why did you", "why didn't you", "you should have", "alleged", "claim"):
        assert blaming not in body
    assert not re.search(r"(describe|tell us) (again|everything) what happened", body)
    if spec["kind"] in (TemplateKind.ACKNOWLEDGEMENT, TemplateKind.MORE_INFORMATION,
                        TemplateKind.CHECK_IN):
        assert "not need to" in body  # "you will not need to tell it again" and the like


def test_it_says_what_happens_next_who_reads_it_and_how_to_stay_safe():
    by_kind = {spec["kind"]: spec["body"] for spec in templates()}
    acknowledgement = by_kind[TemplateKind.ACKNOWLEDGEMENT]
    assert "What happens next" in acknowledgement
    assert "{feedback_by}" in acknowledgement
    assert "immediate danger" in acknowledgement and "the law requires" in acknowledgement
    for kind in (TemplateKind.ACKNOWLEDGEMENT, TemplateKind.MORE_INFORMATION,
                 TemplateKind.CHECK_IN):
        assert SAFE_DEVICE in by_kind[kind]
    referral = by_kind[TemplateKind.REFERRAL]
    assert "{referrals}" in referral
    assert "talk to a specialist before you remove anything" in referral
    assert "We have not shared your report" in referral
    assert "without your agreement" in by_kind[TemplateKind.INTERIM_MEASURES]
    assert "not the same as not believing you" in by_kind[TemplateKind.OUTCOME]
    assert "not your fault" in by_kind[TemplateKind.CHECK_IN]


def test_it_renders_every_default_template_for_a_real_report(organisation, channel, hana):
    flow.report(Client(), channel, {1: {"q_what_happened": "Someone shares my photos."}})
    report = Report.objects.get()
    installed = install_default_templates(organisation=organisation)
    assert {t.language for t in installed} == {code for code, _name in settings.LANGUAGES}
    for template in installed:
        text = render(template, report=report, handler=hana, referrals_text="Helpline")
        assert "{" not in text and "}" not in text
        assert report.reference in text
        assert "hana" in text
        assert placeholders_in(text) == []


def test_a_language_with_a_catalogue_gets_its_own_templates(organisation):
    """The shipped defaults come in every shipped language (issue 15): French, say."""
    added = install_default_templates(organisation=organisation, languages=["fr"])
    assert added and {t.language for t in added} == {"fr"}
    english = {t.kind: t.body
               for t in install_default_templates(organisation=organisation, languages=["en"])}
    assert all(t.body != english[t.kind] for t in added)
