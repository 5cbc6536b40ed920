"""The severity rules: each matches its examples and none of its non-examples, idioms and negations
stay out, and the index that skips impossible rules never changes what matches (no database)."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.triage import severity_rules
from safelight.triage.severity import CATEGORIES
from safelight.triage.severity_rules import RULES, match, match_all, normalise

LABELLED = Path(__file__).resolve().parent.parent / "data" / "severity_labelled.jsonl"


def ids(text: str) -> list[str]:
    return [rule.id for rule in match(normalise(text))]


def test_it_gives_every_rule_a_unique_id_a_category_a_weight_and_a_description():
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.id.startswith(rule.category + ".")
        assert rule.category in CATEGORIES
        assert 0 < rule.weight < 1
        assert rule.description.strip()
        assert rule.examples, rule.id


def test_it_lists_the_rules_by_category_in_display_order():
    order = [CATEGORIES.index(rule.category) for rule in RULES]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("rule", "example"),
    [(rule, example) for rule in RULES for example in rule.examples],
    ids=lambda value: value.id if hasattr(value, "id") else value,
)
def test_it_matches_each_rules_examples(rule, example):
    assert rule in match(normalise(example))
    assert rule.fires(normalise(example))


@pytest.mark.parametrize(
    ("rule", "non_example"),
    [(rule, text) for rule in RULES for text in rule.non_examples],
    ids=lambda value: value.id if hasattr(value, "id") else value,
)
def test_it_does_not_match_each_rules_non_examples(rule, non_example):
    assert rule not in match(normalise(non_example))


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "i'd kill for a coffee rn",
        "you killed it at karaoke 😂",
        "shoot me a text when u land",
        "i'll hit you up later",
        "i'm going to beat you at scrabble tonight",
        "im gonna destroy u in fifa",
        "my mum will kill me if she finds out",
        "i'd never hurt you",
        "i'm not going to hurt you",
        "no one is going to hurt you",
    ],
)
def test_it_keeps_idioms_games_and_negations_out_of_threats(text):
    assert not [i for i in ids(text) if i.startswith("threat.")]


def test_it_still_sees_a_threat_after_an_unrelated_negation():
    assert "threat.will_harm" in ids("dont test me, ill kill you")


def test_it_normalises_case_and_typographic_apostrophes():
    assert normalise("I\u2019LL Kill YOU") == "i'll kill you"
    assert "threat.will_harm" in ids("I\u2019LL KILL YOU")


def test_it_finds_nothing_in_an_empty_or_neutral_message():
    assert match("") == []
    assert ids("can you pick up bread on the way home") == []


def test_it_reads_the_words_a_pattern_needs():
    clauses = severity_rules.requirements(r"\bkill (?:you|u)\b")
    assert frozenset({("w", "kill")}) in clauses
    assert frozenset({("w", "you"), ("w", "u")}) in clauses


def test_it_reads_optional_letters_as_a_choice_of_words():
    assert severity_rules.requirements(r"\bnudes?\b") == (
        frozenset({("w", "nude"), ("w", "nudes")}),
    )


def test_it_reads_letters_without_boundaries_as_a_substring():
    assert severity_rules.requirements(r"masturbat\w*") == (frozenset({("s", "masturbat")}),)
    assert severity_rules.requirements(r"\bdox+\b") == (frozenset({("s", "dox")}),)


def test_it_reads_digits_emoji_and_at_signs():
    assert severity_rules.requirements(r"\d{3}-\d{4}") == (
        frozenset({("d", "3")}),
        frozenset({("d", "4")}),
    )
    assert severity_rules.requirements(r"\bat \d") == (
        frozenset({("w", "at")}),
        frozenset({("d", "1")}),
    )
    assert severity_rules.requirements("🔪") == (frozenset({("s", "🔪")}),)
    assert frozenset({("s", "@")}) in severity_rules.requirements(r"[\w.]+@[\w.]+")


def test_it_reads_a_repeated_word_as_letters_not_a_word():
    # "(?:ab)+" matches "abab": "ab" is then not a word of the message.
    assert severity_rules.requirements(r"\b(?:ab)+\b") == (frozenset({("s", "ab")}),)


def test_it_needs_nothing_from_a_pattern_that_can_match_anything():
    assert severity_rules.requirements(r"\w*") == ()


def test_it_splits_alternatives_only_outside_groups_and_classes():
    assert severity_rules.split_alternatives(r"a(?:b|c)|[|d]|\|e") == ["a(?:b|c)", "[|d]", r"\|e"]


def test_it_gives_every_alternative_something_to_be_indexed_by():
    assert severity_rules._INDEX.always == []


def test_it_finds_the_same_rules_with_and_without_the_index_on_the_labelled_set():
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        norm = normalise(json.loads(line)["text"])
        assert match(norm) == match_all(norm), norm


def _vocabulary() -> list[str]:
    texts = [json.loads(line)["text"] for line in LABELLED.read_text("utf-8").splitlines()]
    texts += [text for rule in RULES for text in (*rule.examples, *rule.non_examples)]
    tokens = {token for text in texts for token in re.findall(r"[\w']+|[^\w\s]", normalise(text))}
    return sorted(tokens)


VOCABULARY = _vocabulary()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=14), st.sampled_from([" ", "", ", "]))
def test_it_finds_the_same_rules_with_and_without_the_index_on_any_words(words, separator):
    norm = normalise(separator.join(words))
    assert match(norm) == match_all(norm)


@pytest.mark.parametrize(
    "text",
    ["hahaha you idiot", "lol", "love you x", "omg congrats!!", "😂😂", "i do love u"],
)
def test_it_hears_banter(text):
    norm = normalise(text)
    assert severity_rules.is_banter(norm, severity_rules.words_of(norm))


@pytest.mark.parametrize(
    "text",
    ["nobody will ever love you", "you idiot", "xmas is cancelled", "fix the box"],
)
def test_it_does_not_hear_banter_where_there_is_none(text):
    norm = normalise(text)
    assert not severity_rules.is_banter(norm, severity_rules.words_of(norm))
