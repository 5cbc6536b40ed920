"""Step numbers by question, so tests keep working when the default questionnaire is reordered."""

from __future__ import annotations

from safelight.reports.models import Channel


def step_of(channel: Channel, *, kind: str | None = None, key: str | None = None) -> int:
    """The 1-based number of the first step with a question of this kind (or code)."""
    for number, step in enumerate(channel.questionnaire.steps.all(), start=1):
        for question in step.questions.all():
            if (kind is None or question.kind == kind) and (key is None or question.key == key):
                return number
    raise LookupError(kind or key)


def question_of(channel: Channel, *, kind: str):
    for step in channel.questionnaire.steps.all():
        for question in step.questions.all():
            if question.kind == kind:
                return question
    raise LookupError(kind)
