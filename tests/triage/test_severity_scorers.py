"""The scorers: rules, profanity model, their combination, the Detoxify adapter (with a fake
detoxify module: Detoxify and PyTorch are not installed) and the setting that chooses one."""

import sys
import types
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from profanity_check import predict_prob

from safelight.triage import severity
from safelight.triage.severity import (
    CATEGORIES,
    DefaultScorer,
    DetoxifyScorer,
    ProfanityScorer,
    RulesScorer,
    Scorer,
    combine,
    evaluate,
    flagged,
    get_scorer,
    load_examples,
)
from safelight.triage.severity_rules import normalise, words_of

LABELLED = Path(__file__).resolve().parent.parent / "data" / "severity_labelled.jsonl"
ZEROS = dict.fromkeys(CATEGORIES, 0.0)


@pytest.fixture(autouse=True)
def _fresh_scorer_cache():
    severity._scorer_for.cache_clear()
    yield
    severity._scorer_for.cache_clear()


@pytest.mark.parametrize("scorer", [RulesScorer(), ProfanityScorer(), DefaultScorer()])
def test_it_scores_every_category_of_every_text_in_order(scorer):
    texts = ["i'll kill you", "see you at 5", "i'll kill you", "send nudes"]
    scores = scorer.score(texts)
    assert isinstance(scorer, Scorer)
    assert len(scores) == len(texts)
    for score in scores:
        assert set(score) == set(CATEGORIES)
        assert all(0.0 <= value <= 1.0 for value in score.values())
    assert scores[0] == scores[2]
    assert scores[0] is not scores[2]  # one dict per text, even for repeated texts
    assert scorer.score([]) == []


def test_it_flags_clear_messages_with_the_default_scorer():
    threat, neutral, sexual, exposure, control = DefaultScorer().score(
        [
            "i swear i'll kill you",
            "see you at 5, bring bread",
            "send nudes",
            "i'll post your address online",
            "send me a photo of where you are right now",
        ]
    )
    assert flagged(threat) == ["threat"]
    assert flagged(neutral) == []
    assert flagged(sexual) == ["sexual"]
    assert flagged(exposure) == ["exposure"]
    assert flagged(control) == ["control"]


def test_it_gives_the_profanity_model_s_own_probabilities():
    texts = [example[0] for example in load_examples(LABELLED)]
    ours = [score["insult"] for score in ProfanityScorer().score(texts)]
    theirs = predict_prob(texts)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-9


def test_it_falls_back_to_the_package_s_own_functions_when_the_model_is_unexpected(monkeypatch):
    assert severity._fast_probabilities(object()) is None
    assert severity._fast_features(object()) is None
    monkeypatch.setattr(severity, "_fast_features", lambda vectorizer: None)
    monkeypatch.setattr(severity, "_fast_probabilities", lambda model: None)
    severity._profanity_model.cache_clear()
    try:
        texts = ["you stupid cow", "see you at five"]
        assert severity.profanity_probabilities(texts) == pytest.approx(
            list(predict_prob(texts)), abs=1e-12
        )
    finally:
        severity._profanity_model.cache_clear()


def scored(rules: dict, profanity: float, text: str) -> dict:
    norm = normalise(text)
    return combine({**ZEROS, **rules}, profanity, norm, words_of(norm))


def test_it_takes_the_profanity_probability_as_the_insult_score_when_aimed_at_someone():
    assert scored({}, 0.9, "you idiot")["insult"] == pytest.approx(0.9)


def test_it_scales_down_swearing_at_nobody_and_banter():
    assert scored({}, 0.9, "this fucking bus")["insult"] == pytest.approx(0.9 * 0.6)
    assert scored({}, 0.9, "hahaha you idiot")["insult"] == pytest.approx(0.9 * 0.6)
    assert scored({}, 0.9, "hahaha this bus")["insult"] == pytest.approx(0.9 * 0.6 * 0.6)


def test_it_keeps_the_rules_insult_score_when_it_is_higher():
    assert scored({"insult": 0.85}, 0.5, "you cow")["insult"] == pytest.approx(0.85)


def test_it_counts_swearing_explained_by_a_threat_for_less_as_an_insult():
    scores = scored({"threat": 0.9}, 0.9, "i'll fucking kill you")
    assert scores["insult"] == pytest.approx(0.9 * 0.6)
    assert scores["threat"] == pytest.approx(0.9 + 0.1 * 0.5 * 0.9)


def test_it_lifts_a_weak_threat_or_sexual_rule_with_profanity_but_never_creates_one():
    assert scored({"threat": 0.35}, 1.0, "x")["threat"] == pytest.approx(0.35 + 0.65 * 0.5)
    assert scored({"sexual": 0.3}, 0.0, "x")["sexual"] == pytest.approx(0.3)
    scores = scored({}, 1.0, "fuck")
    assert scores["threat"] == 0.0
    assert scores["sexual"] == 0.0


def test_it_leaves_exposure_and_control_to_the_rules():
    scores = scored({"exposure": 0.45, "control": 0.3}, 1.0, "fuck you")
    assert scores["exposure"] == 0.45
    assert scores["control"] == 0.3


def test_it_scores_every_labelled_message_as_combine_says():
    texts = [text for text, _labels in load_examples(LABELLED)]
    probabilities = severity.profanity_probabilities(texts)
    for text, probability, scores in zip(
        texts, probabilities, DefaultScorer().score(texts), strict=True
    ):
        norm = normalise(text)
        words = words_of(norm)
        expected = combine(severity.rule_scores(norm, words), probability, norm, words)
        assert scores == pytest.approx(expected), text


def test_it_reaches_its_measured_quality_floor_on_the_labelled_set():
    # Measured (docs/severity.md): precision 0.93-1.00 and recall 0.90-0.95 per category. The
    # floor leaves a margin for changes to the rules; it is a quality floor, not a timing test.
    results = evaluate(DefaultScorer(), load_examples(LABELLED))
    for category, figures in results.items():
        assert figures["precision"] >= 0.85, (category, figures)
        assert figures["recall"] >= 0.80, (category, figures)


# --- Detoxify, with a fake module ----------------------------------------------------------


class FakeDetoxify:
    instances: list = []

    def __init__(self, model_type, checkpoint=None, device="cpu", **kwargs):
        self.model_type, self.checkpoint, self.device, self.kwargs = (
            model_type, checkpoint, device, kwargs
        )
        self.batches: list[list[str]] = []
        FakeDetoxify.instances.append(self)

    def predict(self, texts):
        self.batches.append(list(texts))
        return {
            "toxicity": [0.7 if "idiot" in t else 0.01 for t in texts],
            "severe_toxicity": [0.0 for _t in texts],
            "obscene": [0.2 for _t in texts],
            "threat": [0.95 if "kill" in t else 0.02 for t in texts],
            "insult": [0.6 if "idiot" in t else 0.01 for t in texts],
            "identity_attack": [0.8 if "go back" in t else 0.0 for t in texts],
            **({"sexual_explicit": [0.9 if "nude" in t else 0.0 for t in texts]}
               if self.kwargs.get("huggingface_config_path") != "no-sexual" else {}),
        }


@pytest.fixture
def fake_detoxify(monkeypatch):
    FakeDetoxify.instances = []
    module = types.ModuleType("detoxify")
    module.Detoxify = FakeDetoxify
    monkeypatch.setitem(sys.modules, "detoxify", module)
    return module


@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / "toxic_original.ckpt"
    path.write_bytes(b"not really a model")
    return path


def test_it_maps_detoxify_outputs_onto_the_categories(fake_detoxify, checkpoint):
    scorer = DetoxifyScorer(checkpoint)
    kill, idiot, nude, address, control, other = scorer.score(
        [
            "i will kill you",
            "you idiot",
            "send nude pics",
            "i'll post your address online",
            "give me your password",
            "go back home",
        ]
    )
    model = FakeDetoxify.instances[0]
    assert (model.model_type, model.checkpoint) == ("original", str(checkpoint))
    assert model.device == "cpu"
    assert kill["threat"] == 0.95
    assert idiot["insult"] == 0.7  # max(insult, toxicity, identity_attack, obscene)
    assert nude["sexual"] == 0.9
    assert other["insult"] == 0.8  # identity_attack
    assert address["exposure"] >= 0.5  # the rules
    assert control["control"] >= 0.5
    assert flagged(kill) == ["threat"]


def test_it_takes_sexual_from_the_rules_when_the_checkpoint_has_no_such_output(
    fake_detoxify, checkpoint
):
    scorer = DetoxifyScorer(checkpoint, huggingface_config_path="no-sexual")
    (nude,) = scorer.score(["send nudes"])
    assert nude["sexual"] == RulesScorer().score(["send nudes"])[0]["sexual"] > 0.5
    assert FakeDetoxify.instances[0].kwargs == {"huggingface_config_path": "no-sexual"}


def test_it_sends_detoxify_small_batches_of_cut_texts(fake_detoxify, checkpoint):
    scorer = DetoxifyScorer(checkpoint)
    texts = [f"message {i}" for i in range(70)] + ["x" * 10_000]
    assert len(scorer.score(texts)) == 71
    batches = FakeDetoxify.instances[0].batches
    assert [len(batch) for batch in batches] == [32, 32, 7]
    assert len(batches[-1][-1]) == DetoxifyScorer.max_chars


def test_it_says_clearly_when_the_checkpoint_is_missing(fake_detoxify, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="no such file"):
        DetoxifyScorer(tmp_path / "missing.ckpt")


def test_it_says_clearly_when_detoxify_is_not_installed(monkeypatch, checkpoint):
    monkeypatch.setitem(sys.modules, "detoxify", None)
    with pytest.raises(ImproperlyConfigured, match="detoxify package is not installed"):
        DetoxifyScorer(checkpoint)


def test_it_says_which_checkpoint_could_not_be_loaded(monkeypatch, checkpoint):
    def broken(*args, **kwargs):
        raise ValueError("Checkpoint needs to contain the config")

    module = types.ModuleType("detoxify")
    module.Detoxify = broken
    monkeypatch.setitem(sys.modules, "detoxify", module)
    with pytest.raises(ImproperlyConfigured, match="Could not load the Detoxify checkpoint"):
        DetoxifyScorer(checkpoint)


# --- the setting ---------------------------------------------------------------------------


def test_it_uses_the_default_scorer_unless_told_otherwise(settings):
    del settings.SAFELIGHT_SEVERITY_SCORER
    assert isinstance(get_scorer(), DefaultScorer)


def test_it_uses_the_scorer_the_setting_names(settings):
    settings.SAFELIGHT_SEVERITY_SCORER = "rules"
    assert isinstance(get_scorer(), RulesScorer)
    settings.SAFELIGHT_SEVERITY_SCORER = " default "
    assert isinstance(get_scorer(), DefaultScorer)


def test_it_builds_each_scorer_once_per_process(settings):
    settings.SAFELIGHT_SEVERITY_SCORER = "default"
    assert get_scorer() is get_scorer()


def test_it_loads_a_detoxify_checkpoint_from_the_setting(settings, fake_detoxify, checkpoint):
    settings.SAFELIGHT_SEVERITY_SCORER = f"detoxify:{checkpoint}"
    settings.SAFELIGHT_SEVERITY_DETOXIFY_CONFIG = "/srv/models/bert-base-uncased"
    scorer = get_scorer()
    assert isinstance(scorer, DetoxifyScorer)
    assert get_scorer() is scorer
    assert FakeDetoxify.instances[0].kwargs == {
        "huggingface_config_path": "/srv/models/bert-base-uncased"
    }


@pytest.mark.parametrize("value", ["fast", "detoxify:", "detoxify", "Default", ""])
def test_it_refuses_an_unknown_scorer_clearly(settings, value):
    settings.SAFELIGHT_SEVERITY_SCORER = value
    with pytest.raises(ImproperlyConfigured, match="SAFELIGHT_SEVERITY_SCORER"):
        get_scorer()


def test_it_refuses_a_setting_that_is_not_text(settings):
    settings.SAFELIGHT_SEVERITY_SCORER = 3
    with pytest.raises(ImproperlyConfigured, match="must be a string"):
        get_scorer()


def test_it_refuses_a_missing_checkpoint_through_the_setting(settings, fake_detoxify, tmp_path):
    settings.SAFELIGHT_SEVERITY_SCORER = f"detoxify:{tmp_path / 'gone.ckpt'}"
    with pytest.raises(ImproperlyConfigured, match=r"gone\.ckpt"):
        get_scorer()
