"""The default questionnaire: each fact asked once, and it works for witnesses and bystanders."""

import re

import pytest
from django.test import Client

from safelight.intake import default_questionnaire
from safelight.intake.questions import (
    PRETICKED,
    answered_entries,
    checklist_lines,
    condition_met,
)
from safelight.reports.models import Question, QuestionKind
from safelight.triage import default_checklist
from tests.intake import flow

SAFETY_STEP = 4
WITNESS = "someone_else"
SAFETY_SENTENCE = "will not be contacted without care for their safety"
# Choices of the first step that say the same as a checklist item: (abuse kind, item).
SAME_FACT = {("threats", "threats"), ("location", "location"), ("accounts", "passwords"),
             ("images", "images")}
# Words that ask for the details that identify someone (what "report together" asks).
IDENTIFYING = re.compile(r"username|profile|e-?mail|phone number", re.IGNORECASE)


def _questions() -> dict[str, dict]:
    return {q["key"]: q for step in default_questionnaire.steps() for q in step["questions"]}


def _checklist_questions() -> list[dict]:
    return [q for q in _questions().values() if q["kind"] == QuestionKind.RISK_CHECKLIST]


def _lines(spec: dict):
    return checklist_lines(Question(kind=spec["kind"], choices=spec.get("choices", "")))


def test_it_asks_first_whom_it_happened_to():
    first = default_questionnaire.steps()[0]["questions"][0]
    assert first["key"] == "happened_to"
    assert first["kind"] == QuestionKind.SINGLE_CHOICE
    codes = [line.partition("|")[0].strip() for line in first["choices"].splitlines()]
    assert codes == ["me", WITNESS]
    assert "someone else" in first["label"]


def test_it_asks_no_checklist_fact_that_the_first_step_said_without_pre_ticking_it():
    checklists = _checklist_questions()
    assert len(checklists) == 2  # one about the reporter, one about the person it happened to
    for spec in checklists:
        lines = _lines(spec)
        ticked = {(value, item) for item, line in lines.items()
                  for key, value in line.ticked_by if key == "abuse_kinds"}
        assert ticked == SAME_FACT, spec["key"]
        assert "ticked from what you chose" in spec["help_text"]
    item_keys = {item["key"] for item in default_checklist.items()}
    kind_codes = {line.partition("|")[0].strip()
                  for line in _questions()["abuse_kinds"]["choices"].splitlines()}
    assert {item for _kind, item in SAME_FACT} <= item_keys
    assert {kind for kind, _item in SAME_FACT} <= kind_codes


def test_it_asks_the_identifying_details_once():
    questions = _questions()
    # "Who did this?" asks a name and how they are connected, not the details that identify
    # them; those are asked once, after "report together", only when it is not chosen.
    assert not IDENTIFYING.search(questions["who"]["help_text"])
    assert IDENTIFYING.search(questions["who_details"]["label"])
    assert questions["who_details"]["show_if"] == ("together", "!yes")
    keys = list(questions)
    assert keys.index("together") < keys.index("who_details")


def test_it_words_later_questions_for_both_answers():
    questions = _questions()
    for mine, theirs in (("impact", "impact_them"), ("safety", "safety_them")):
        assert questions[mine]["show_if"] == ("happened_to", "!" + WITNESS)
        assert questions[theirs]["show_if"] == ("happened_to", WITNESS)
        assert "the person it happened to" in questions[theirs]["label"]
    # The first step fits both answers: none of its choices speaks to "you".
    assert not re.search(r"\byou(r)?\b", questions["abuse_kinds"]["choices"], re.IGNORECASE)


def test_the_witness_checklist_asks_about_the_person_it_happened_to():
    lines = _lines(_questions()["safety_them"])
    for item in default_checklist.items():
        wording = lines[item["key"]].wording
        assert wording.endswith("?"), item["key"]
        assert not re.search(r"\byou(r)?\b", wording.replace("As far as you know", "")), wording


def test_its_strings_are_plain_and_every_question_optional():
    for question in _questions().values():
        assert not question.get("required"), question["key"]


@pytest.mark.django_db
def test_a_negated_condition_is_met_unless_that_answer_was_given(questionnaire):
    impact = Question.objects.get(step__questionnaire=questionnaire, key="impact")
    impact_them = Question.objects.get(step__questionnaire=questionnaire, key="impact_them")
    assert condition_met(impact, {}) and not condition_met(impact_them, {})
    assert condition_met(impact, {"happened_to": "me"})
    witness = {"happened_to": WITNESS}
    assert not condition_met(impact, witness) and condition_met(impact_them, witness)


@pytest.mark.django_db
def test_a_follow_up_of_a_question_not_asked_is_not_asked(questionnaire):
    follow_up = Question.objects.get(step__questionnaire=questionnaire,
                                     key="tech_dependence_details")
    assert condition_met(follow_up, {"safety": ["assistive"]})
    assert not condition_met(follow_up, {"happened_to": WITNESS, "safety": ["assistive"]})


@pytest.mark.django_db
def test_the_step_and_the_review_say_the_person_will_not_be_contacted_carelessly(channel):
    client = Client()
    flow.start(client, channel)
    first = client.get(flow.step_url(channel, 1)).content.decode()
    assert first.index("Did this happen to you, or to someone else?") < first.index(
        'name="q_what_happened"')
    assert SAFETY_SENTENCE in first
    flow.answer(client, channel, 1, {"q_happened_to": WITNESS})
    review = client.get(flow.review_url(channel)).content.decode()
    assert SAFETY_SENTENCE in review


@pytest.mark.django_db
def test_the_wording_follows_someone_else(channel):
    client = Client()
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert "How has this affected you?" in page and "Do any of these apply to you?" in page
    assert "the person it happened to" not in page

    flow.answer(client, channel, 1, {"q_happened_to": WITNESS})
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert "How has this affected you?" not in page
    assert "Do any of these apply to you?" not in page
    assert "how has this affected the person it happened to?" in page
    assert 'name="q_safety_them"' in page and 'name="q_safety"' not in page
    assert "threatened to kill or hurt them, their children" in page
    assert "threatened to kill or hurt you" not in page
    # Its follow-up too: no question of the other wording is left, even as a note.
    assert "Which technology do they depend on?" in page
    assert "Which technology do you depend on?" not in page
    assert "They will not contact the person it happened to without care for their safety" in page


@pytest.mark.django_db
def test_handlers_read_whom_it_happened_to_first(channel):
    answers = {"happened_to": WITNESS, "what_happened": "I saw it."}
    entries = answered_entries(channel.questionnaire, answers, channel, identity=False)
    assert entries[0]["key"] == "happened_to"
    assert entries[0]["display"].startswith("It happened to someone else")


@pytest.mark.django_db
def test_it_pre_ticks_what_the_first_step_said_and_keeps_an_untick(channel):
    client = Client()
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_abuse_kinds": ["location", "stalking"]})
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert _ticked(page, "q_safety") == {"location"}

    flow.answer(client, channel, SAFETY_STEP, {})  # the reporter took the tick away
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert _ticked(page, "q_safety") == set()

    # What the first step newly says is ticked; what was taken away stays away.
    flow.answer(client, channel, 1, {"q_abuse_kinds": ["location", "threats"]})
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert _ticked(page, "q_safety") == {"threats"}


@pytest.mark.django_db
def test_the_pre_ticks_are_never_part_of_the_report(channel):
    answers = {"abuse_kinds": ["location"], "safety": ["location"],
               PRETICKED: {"safety": ["location"]}}
    entries = answered_entries(channel.questionnaire, answers, channel, identity=False)
    assert [e["key"] for e in entries] == ["abuse_kinds", "safety"]


def _ticked(page: str, name: str) -> set[str]:
    found = set()
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and " checked" in tag:
            found.add(re.search(r'value="([^"]*)"', tag).group(1))
    return found
