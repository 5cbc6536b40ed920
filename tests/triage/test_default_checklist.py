"""The default checklist: ten items for technology-facilitated abuse, plainly worded, each with a
weight and a reason; installing it is idempotent."""

import re
from pathlib import Path

from safelight.audit.models import Event
from safelight.triage import default_checklist
from safelight.triage.access import active_checklist
from safelight.triage.actions import install_default_checklist
from safelight.triage.models import RiskChecklist, RiskItem
from safelight.triage.scoring import ELEVATED, STANDARD, URGENT, score_checklist

KEYS = [
    "passwords", "shared_plan", "location", "smart_home", "images", "threats", "escalation",
    "tech_expertise", "assistive", "children",
]
BLAME = re.compile(r"\b(why did you|why didn't you|your fault|should you|should have|let them|"
                   r"allowed|provok|deserve)", re.IGNORECASE)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "triage.md"


def test_it_ships_the_ten_items_of_the_issue():
    assert [spec["key"] for spec in default_checklist.items()] == KEYS


def test_it_gives_every_item_a_weight_and_a_short_reason_with_a_source():
    for spec in default_checklist.items():
        assert spec["weight"] > 0, spec["key"]
        assert 40 <= len(spec["reason"]) <= 300, spec["key"]
        assert re.search(r"\(.*(19|20)\d\d.*\)|DASH", spec["reason"]), spec["key"]
        assert 0 < len(spec["handler_label"]) <= 60, spec["key"]


def test_it_words_every_question_plainly_for_the_reporter():
    for spec in default_checklist.items():
        question = spec["question"]
        assert question.endswith("?"), question
        assert re.search(r"\byou(r)?\b", question), question
        assert len(question) <= 160, question
        assert not BLAME.search(question), question
        assert "abuser" not in question.lower(), question  # the reporter's words, not a label
    intro = default_checklist.introduction()
    assert "optional" in intro and "nothing here is your fault" in intro


def test_it_makes_only_threats_to_kill_urgent_on_their_own():
    urgent_alone = [spec["key"] for spec in default_checklist.items() if spec["urgent_alone"]]
    assert urgent_alone == ["threats"]


def test_it_installs_a_published_first_version(organisation):
    checklist = install_default_checklist(organisation=organisation)
    assert (checklist.version, checklist.published) == (1, True)
    assert list(checklist.items.values_list("key", flat=True)) == KEYS
    assert active_checklist(organisation) == checklist
    assert Event.objects.filter(action="riskchecklist.create", target_id=str(checklist.pk),
                                organisation=organisation).count() == 1


def test_it_installs_only_once(organisation):
    first = install_default_checklist(organisation=organisation)
    again = install_default_checklist(organisation=organisation)
    assert again == first
    assert RiskChecklist.objects.filter(organisation=organisation).count() == 1
    assert RiskItem.objects.filter(checklist__organisation=organisation).count() == 10
    assert Event.objects.filter(action="riskchecklist.create").count() == 1


def test_it_keeps_an_organisation_s_own_checklist(organisation):
    own = RiskChecklist.objects.create(organisation=organisation, version=4, name="Ours",
                                       elevated_at=1, urgent_at=2, published=True)
    assert install_default_checklist(organisation=organisation) == own
    assert RiskChecklist.objects.filter(organisation=organisation).count() == 1


def test_it_sets_thresholds_that_route_sensibly(organisation):
    checklist = install_default_checklist(organisation=organisation)
    assert score_checklist(checklist, []).priority == STANDARD
    assert score_checklist(checklist, ["shared_plan"]).priority == STANDARD
    assert score_checklist(checklist, ["passwords"]).priority == STANDARD
    for key in ("location", "escalation", "images"):
        assert score_checklist(checklist, [key]).priority == ELEVATED, key
    for key in set(KEYS) - {"threats"}:
        assert score_checklist(checklist, [key]).priority != URGENT, key
    assert score_checklist(checklist, ["threats"]).priority == URGENT
    assert score_checklist(checklist, ["location", "escalation"]).priority == URGENT
    assert score_checklist(checklist, KEYS).priority == URGENT


def test_it_documents_every_default_item_with_its_weight():
    text = DOCS.read_text(encoding="utf-8")
    for spec in default_checklist.items():
        assert re.search(rf"\|\s*`{spec['key']}`\s*\|\s*{spec['weight']}\s*\|", text), spec["key"]
        assert spec["question"] in text and spec["handler_label"] in text, spec["key"]
    assert f"elevated from **{default_checklist.ELEVATED_AT}**" in text
    assert f"urgent from **{default_checklist.URGENT_AT}**" in text
