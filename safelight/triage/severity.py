"""Message-severity scoring for the evidence locker: a score from 0 to 1 per category for each
message, so a survivor sees counts first and opens only what they choose.

Plain functions and small scorer classes, no database. Scorers share one interface (`Scorer`):

- `RulesScorer`: the named rules of `severity_rules`, transparent and explainable (`reasons`).
- `ProfanityScorer`: alt-profanity-check's linear model (shipped with the package) for insults.
- `DefaultScorer`: both together (see `DefaultScorer` for how), fast enough for imports.
- `DetoxifyScorer`: a stronger transformer model from a local Detoxify checkpoint, when an operator
  installs Detoxify and PyTorch themselves; rules still cover exposure and control.

`get_scorer()` returns the one the `SAFELIGHT_SEVERITY_SCORER` setting names; `flagged()` applies
`THRESHOLDS`; `evaluate()` measures a scorer on labelled messages. See docs/severity.md.

Message text is only ever held in memory here: nothing is logged or cached across calls.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from safelight.triage import severity_rules

CATEGORIES = ("threat", "sexual", "insult", "exposure", "control")

# A message is flagged for a category when its score reaches the category's threshold. 0.5 means
# "one rule of medium weight, or two weak ones" (see severity_rules); insult is higher so that
# swearing scaled down as banter or as aimed at nobody (x 0.6) does not flag alone. Checked on
# the development split of the first 487 lines of tests/data/severity_labelled.jsonl (a grid of
# 0.30-0.90 by 0.05: each sits on the plateau of best F1, not at its edge), then once on the
# held-out fifth; see docs/severity.md, "How the figures were measured".
THRESHOLDS: dict[str, float] = {
    "threat": 0.5,
    "sexual": 0.5,
    "insult": 0.65,
    "exposure": 0.5,
    "control": 0.5,
}


def category_labels() -> dict[str, str]:
    return {
        "threat": _("Threats of violence"),
        "sexual": _("Sexual harassment"),
        "insult": _("Insults and abuse"),
        "exposure": _("Personal details exposed"),
        "control": _("Monitoring and control"),
    }


def content_warnings() -> dict[str, str]:
    """What a survivor is told before they choose to open the flagged messages of a category."""
    return {
        "threat": _("These messages may threaten to hurt or kill you or people close to you."),
        "sexual": _("These messages may contain sexual comments, requests or images."),
        "insult": _("These messages may contain insults, slurs or cruel words."),
        "exposure": _(
            "These messages may show or threaten to share personal details such as an address,"
            " a phone number, a workplace or a child's school."
        ),
        "control": _(
            "These messages may watch, question or restrict where you go, who you see or what"
            " you do."
        ),
    }


@runtime_checkable
class Scorer(Protocol):
    name: str

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """One dict per text, in order, with a score from 0 to 1 for every category."""
        ...


def _unique(texts: Sequence[str]) -> tuple[list[str], list[int] | None]:
    """The distinct texts of a batch and, for each text, its position among them (None when all
    are distinct). Chat exports repeat themselves ("ok", "lol", "<Media omitted>"), so each
    distinct text is scored once."""
    positions: dict[str, int] = {}
    order = [positions.setdefault(text, len(positions)) for text in texts]
    if len(positions) == len(order):
        return list(texts), None
    return list(positions), order


def _spread(scored: list[dict[str, float]], order: list[int] | None) -> list[dict[str, float]]:
    """The scores of the distinct texts, back in the order of the batch (a dict per text)."""
    if order is None:
        return scored
    return [dict(scored[i]) for i in order]


_ZEROS = dict.fromkeys(CATEGORIES, 0.0)


def rule_scores(norm: str, words: set[str] | None = None) -> dict[str, float]:
    """Scores from the rules alone, for a normalised message (`severity_rules.normalise`) and
    its words (`severity_rules.words_of`, computed when not given)."""
    if words is None:
        words = severity_rules.words_of(norm)
    return _scores_of(severity_rules.match(norm, words), norm, words)


def _scores_of(matched: list, norm: str, words: set[str]) -> dict[str, float]:
    if not matched:
        return dict(_ZEROS)
    keep = dict.fromkeys(CATEGORIES, 1.0)  # the product of (1 - weight), per category
    for rule in matched:
        keep[rule.category] *= 1.0 - rule.weight
    scores = {category: 1.0 - keep[category] for category in CATEGORIES}
    if scores["insult"] and severity_rules.is_banter(norm, words):
        scores["insult"] *= BANTER_FACTOR
    return scores


# Laughter or love in a message ("hahaha you absolute idiot, you left your keys") scales down the
# insult evidence, from the rules and the profanity model alike. It does not cancel it: abuse is
# often mocking.
BANTER_FACTOR = 0.6
# Swearing that is not aimed at anyone ("this fucking bus") counts for less as an insult.
UNDIRECTED_FACTOR = 0.6
# Swearing in a message that the rules already explain as a threat or as sexual ("i want to fuck
# you") counts for less as an insult: the profanity model cannot tell these apart.
EXPLAINED_FACTOR = 0.6
EXPLAINED_AT = 0.5
# How much the profanity probability lifts a threat or sexual score that some rule gave.
PROFANITY_BOOST = 0.5


class RulesScorer:
    """The rules of `severity_rules` alone: every score can be explained with `reasons`."""

    name = "rules"

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        distinct, order = _unique(texts)
        return _spread([rule_scores(severity_rules.normalise(text)) for text in distinct], order)


@functools.cache
def _profanity_model():
    """alt-profanity-check's model as (features, probabilities): texts to its TF-IDF features,
    and features to the probability that each text is offensive. Loaded once (about a second).

    Both are faster equivalents of the package's own vectorizer.transform and
    model.predict_proba (see `_fast_features` and `_fast_probabilities`), checked against them on
    sample texts when loaded and replaced by them if they differ in any way."""
    from profanity_check import profanity_check

    vectorizer, model = profanity_check.vectorizer, profanity_check.model
    probe = [
        "You are an IDIOT!!", "see you at five", "fuck off, you twat", "", "the the the a",
        "shit shit shit", "naïve café 😂 ok", "i'll kill you", "x" * 50,
    ]
    features = _fast_features(vectorizer)
    if features is None or not _same(features(probe), vectorizer.transform(probe)):
        features = vectorizer.transform
    probabilities = _fast_probabilities(model)
    expected = model.predict_proba(vectorizer.transform(probe))[:, 1]
    if probabilities is None or not _same(probabilities(vectorizer.transform(probe)), expected):
        probabilities = lambda matrix: model.predict_proba(matrix)[:, 1]  # noqa: E731
    return features, probabilities


def _same(left, right) -> bool:
    import numpy as np

    if hasattr(left, "toarray"):
        left, right = left.toarray(), right.toarray()
    return left.shape == right.shape and bool(np.allclose(left, right, rtol=0, atol=1e-9))


def _fast_features(vectorizer):
    """The vectorizer's transform (scikit-learn's TfidfVectorizer: word unigrams, English stop
    words, smoothed idf, l2 norm) without its general machinery: about twice as fast. Stop words
    never reach the vocabulary, so looking tokens up in it is the whole analysis. None if the
    vectorizer is configured otherwise."""
    import re

    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize

    try:
        params = vectorizer.get_params()
        expected = {
            "analyzer": "word", "ngram_range": (1, 1), "lowercase": True, "binary": False,
            "strip_accents": None, "preprocessor": None, "tokenizer": None, "input": "content",
            "use_idf": True, "sublinear_tf": False,
        }
        if any(params.get(key) != value for key, value in expected.items()):
            return None
        token = re.compile(params["token_pattern"])
        lookup = vectorizer.vocabulary_.get
        idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        norm = params["norm"]
    except (AttributeError, KeyError, TypeError, re.error):
        return None
    width = len(idf)

    def features(texts):
        indptr, indices = [0], []
        for text in texts:
            for word in token.findall(text.lower()):
                column = lookup(word)
                if column is not None:
                    indices.append(column)
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (
                np.ones(len(indices)),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(texts), width),
        )
        matrix.sum_duplicates()
        matrix.data *= idf[matrix.indices]
        return normalize(matrix, norm=norm, copy=False) if norm else matrix

    return features


def _fast_probabilities(model):
    """The model's predict_proba, positive class, as one sparse-by-dense product: about ten times
    faster. The model is scikit-learn's CalibratedClassifierCV over LinearSVC with sigmoid
    calibration: the mean over its folds of expit(-(a * (w . x + c) + b)). None if it is not."""
    import numpy as np
    from scipy.special import expit

    try:
        folds = model.calibrated_classifiers_
        if model.method != "sigmoid" or list(model.classes_) != [0, 1]:
            return None
        for fold in folds:
            if list(fold.estimator.classes_) != [0, 1] or len(fold.calibrators) != 1:
                return None
        weights = np.vstack([fold.estimator.coef_.ravel() for fold in folds]).T
        intercepts = np.array([fold.estimator.intercept_[0] for fold in folds])
        slopes = np.array([fold.calibrators[0].a_ for fold in folds])
        offsets = np.array([fold.calibrators[0].b_ for fold in folds])
    except (AttributeError, IndexError, TypeError, ValueError):
        return None

    def probabilities(matrix):
        decisions = matrix @ weights + intercepts
        return expit(-(slopes * decisions + offsets)).mean(axis=1)

    return probabilities


def profanity_probabilities(texts: Sequence[str]) -> list[float]:
    """alt-profanity-check's probability that each text is offensive: the same numbers as
    `profanity_check.predict_prob`, faster (see `_profanity_model`)."""
    if not texts:
        return []
    features, probabilities = _profanity_model()
    return probabilities(features(texts)).tolist()


class ProfanityScorer:
    """alt-profanity-check alone: its probability as the insult score, every other category 0."""

    name = "profanity"

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        distinct, order = _unique(texts)
        probabilities = profanity_probabilities(distinct)
        return _spread([{**_ZEROS, "insult": p} for p in probabilities], order)


def _profanity_factor(norm: str, words: set[str]) -> float:
    factor = 1.0
    if severity_rules.is_banter(norm, words):
        factor *= BANTER_FACTOR
    if severity_rules.SECOND_PERSON_WORDS.isdisjoint(words):
        factor *= UNDIRECTED_FACTOR
    return factor


def combine(
    rules: Mapping[str, float], profanity: float, norm: str, words: set[str] | None = None
) -> dict[str, float]:
    """The default scorer's combination of rule scores and the profanity probability:

    - insult: the larger of the rules' insult score and the profanity probability, the latter
      scaled by BANTER_FACTOR when the message laughs or says love, and by UNDIRECTED_FACTOR when
      it speaks to nobody ("you", "ur", ...), and by EXPLAINED_FACTOR when the rules already
      score it as a threat or as sexual;
    - threat and sexual: the rules' score, lifted towards 1 by PROFANITY_BOOST x the profanity
      probability when some rule fired ("i'm coming over" + swearing is more of a threat);
    - exposure and control: the rules' score, unchanged.
    """
    scores = dict(rules)
    if profanity > scores["insult"]:
        if words is None:
            words = severity_rules.words_of(norm)
        factor = _profanity_factor(norm, words)
        if max(scores["threat"], scores["sexual"]) >= EXPLAINED_AT:
            factor *= EXPLAINED_FACTOR
        scores["insult"] = max(scores["insult"], profanity * factor)
    for category in ("threat", "sexual"):
        score = scores[category]
        if score:
            scores[category] = score + (1.0 - score) * PROFANITY_BOOST * profanity
    return scores


class DefaultScorer:
    """Rules and alt-profanity-check together (see `combine`). Both run on the CPU in a few
    microseconds a message, and nothing is downloaded."""

    name = "default"

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        distinct, order = _unique(texts)
        probabilities = profanity_probabilities(distinct)
        scored = []
        for text, probability in zip(distinct, probabilities, strict=True):
            norm = severity_rules.normalise(text)
            words = severity_rules.words_of(norm)
            matched = severity_rules.match(norm, words)
            if matched:
                scored.append(combine(_scores_of(matched, norm, words), probability, norm, words))
            else:  # most messages: `combine` with every rule score 0, written out
                scored.append(
                    {
                        "threat": 0.0,
                        "sexual": 0.0,
                        "insult": probability * _profanity_factor(norm, words) if probability
                        else 0.0,
                        "exposure": 0.0,
                        "control": 0.0,
                    }
                )
        return _spread(scored, order)


# Detoxify's outputs for each of our categories; the largest present one is taken. Categories
# with none of their outputs in the checkpoint (the "original" model has no sexual_explicit) and
# exposure and control (which no toxicity model knows) come from the rules.
DETOXIFY_OUTPUTS: dict[str, tuple[str, ...]] = {
    "threat": ("threat",),
    "sexual": ("sexual_explicit",),
    "insult": ("insult", "toxicity", "identity_attack", "obscene"),
}


class DetoxifyScorer:
    """A Detoxify checkpoint (a BERT-family model, Jigsaw-trained) for threat, sexual and insult,
    with the rules for exposure and control.

    Detoxify and PyTorch are not dependencies of Safelight: an operator who wants this installs
    them and downloads a checkpoint once, e.g. toxic_original-c1212f89.ckpt or
    toxic_debiased-c7548aa0.ckpt from Detoxify's releases. The package is imported only here.
    """

    name = "detoxify"
    # Texts go to the model this many at a time (each batch is padded to its longest text), cut
    # to this many characters (the model reads at most 512 tokens anyway).
    batch_size = 32
    max_chars = 4000

    def __init__(
        self,
        checkpoint: str | Path,
        *,
        device: str = "cpu",
        huggingface_config_path: str | Path | None = None,
    ) -> None:
        path = Path(checkpoint)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"SAFELIGHT_SEVERITY_SCORER names the Detoxify checkpoint {path}, but there is no"
                " such file. Download a checkpoint from Detoxify's releases and give its full path."
            )
        try:
            detoxify = importlib.import_module("detoxify")
        except ImportError as exc:
            raise ImproperlyConfigured(
                "SAFELIGHT_SEVERITY_SCORER asks for a Detoxify checkpoint, but the detoxify package"
                " is not installed. Install it (`pip install detoxify`, which brings PyTorch) or"
                " set SAFELIGHT_SEVERITY_SCORER=default."
            ) from exc
        kwargs: dict[str, object] = {"checkpoint": str(path), "device": device}
        if huggingface_config_path is not None:
            kwargs["huggingface_config_path"] = str(huggingface_config_path)
        try:
            self._model = detoxify.Detoxify("original", **kwargs)
        except Exception as exc:  # the checkpoint's own error says what is wrong with it
            raise ImproperlyConfigured(
                f"Could not load the Detoxify checkpoint {path}: {exc}"
            ) from exc
        self._rules = RulesScorer()

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        distinct, order = _unique(texts)
        scored = self._rules.score(distinct)
        for start in range(0, len(distinct), self.batch_size):
            chunk = [text[: self.max_chars] for text in distinct[start : start + self.batch_size]]
            outputs = self._model.predict(chunk)
            for category, names in DETOXIFY_OUTPUTS.items():
                present = [outputs[name] for name in names if name in outputs]
                if not present:
                    continue
                for offset in range(len(chunk)):
                    scored[start + offset][category] = float(
                        max(values[offset] for values in present)
                    )
        return _spread(scored, order)


DETOXIFY_PREFIX = "detoxify:"


@functools.cache
def _scorer_for(value: str, huggingface_config_path: str | None) -> Scorer:
    if value == "default":
        return DefaultScorer()
    if value == "rules":
        return RulesScorer()
    if value.startswith(DETOXIFY_PREFIX) and value[len(DETOXIFY_PREFIX) :].strip():
        return DetoxifyScorer(
            value[len(DETOXIFY_PREFIX) :].strip(),
            huggingface_config_path=huggingface_config_path,
        )
    raise ImproperlyConfigured(
        f"SAFELIGHT_SEVERITY_SCORER is {value!r}; it must be \"default\" (rules and"
        " alt-profanity-check), \"rules\" (the rules alone) or"
        " \"detoxify:/path/to/checkpoint.ckpt\" (a local Detoxify checkpoint)."
    )


def get_scorer() -> Scorer:
    """The scorer that settings.SAFELIGHT_SEVERITY_SCORER names, built once per process.

    Optional: SAFELIGHT_SEVERITY_DETOXIFY_CONFIG, a directory holding the Hugging Face config and
    tokenizer files of the checkpoint's base model, so that Detoxify never goes online."""
    value = getattr(settings, "SAFELIGHT_SEVERITY_SCORER", "default")
    if not isinstance(value, str):
        raise ImproperlyConfigured(
            f"SAFELIGHT_SEVERITY_SCORER must be a string, not {type(value).__name__}."
        )
    config = getattr(settings, "SAFELIGHT_SEVERITY_DETOXIFY_CONFIG", None) or None
    return _scorer_for(value.strip(), str(config) if config else None)


def flagged(
    scores: Mapping[str, float], thresholds: Mapping[str, float] | None = None
) -> list[str]:
    """The categories whose score reaches its threshold, in CATEGORIES order."""
    limits = THRESHOLDS if thresholds is None else thresholds
    return [c for c in CATEGORIES if scores.get(c, 0.0) >= limits[c]]


def reasons(text: str) -> list[tuple[str, str]]:
    """(category, description) for each rule that fires on the text, in CATEGORIES order: why a
    message was flagged, in words. The profanity model's part cannot be explained this way, and
    weak rules (a phone number alone) appear here even when they did not flag the message."""
    return [
        (rule.category, _(rule.description))
        for rule in severity_rules.match(severity_rules.normalise(text))
    ]


# --- the labelled set and evaluation ---------------------------------------------------------

Example = tuple[str, frozenset[str]]


def _example(item: Mapping[str, object] | tuple[str, Iterable[str]]) -> Example:
    if isinstance(item, Mapping):
        text, labels = item["text"], item["labels"]
    else:
        text, labels = item
    if not isinstance(text, str):
        raise ValueError(f"An example's text must be a string, not {type(text).__name__}.")
    # A mapping's labels are whatever the file held: frozenset() refuses what is not iterable,
    # and the check below what is not a category.
    label_set = frozenset(cast("Iterable[str]", labels))
    unknown = label_set - set(CATEGORIES)
    if unknown:
        raise ValueError(f"Unknown severity categories: {', '.join(sorted(unknown))}.")
    return text, label_set


def load_examples(path: str | Path) -> list[Example]:
    """The messages of a labelled JSON-lines file ({"text": ..., "labels": [...]} per line)."""
    with open(path, encoding="utf-8") as lines:
        return [_example(json.loads(line)) for line in lines if line.strip()]


def split_examples(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """(development, held out): every fifth example (the 5th, 10th, ...) is held out."""
    development = [e for i, e in enumerate(examples) if i % 5 != 4]
    held_out = [e for i, e in enumerate(examples) if i % 5 == 4]
    return development, held_out


def evaluate(
    scorer: Scorer,
    examples: Iterable[Mapping[str, object] | tuple[str, Iterable[str]]],
    *,
    thresholds: Mapping[str, float] | None = None,
    batch_size: int = 1000,
) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per category of `flagged(scorer.score(...))` against the
    examples' labels. Precision with nothing flagged, and recall with no example of the category,
    are 0.0 (as scikit-learn reports them)."""
    items = [_example(item) for item in examples]
    counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    for start in range(0, len(items), batch_size):
        batch = items[start : start + batch_size]
        for (_text, labels), scores in zip(
            batch, scorer.score([text for text, _labels in batch]), strict=True
        ):
            predicted = set(flagged(scores, thresholds))
            for category in CATEGORIES:
                if category in predicted and category in labels:
                    counts[category]["tp"] += 1
                elif category in predicted:
                    counts[category]["fp"] += 1
                elif category in labels:
                    counts[category]["fn"] += 1
    result = {}
    for category, c in counts.items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[category] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": float(tp + fn),
        }
    return result
