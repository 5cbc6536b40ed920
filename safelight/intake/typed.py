"""Answers kept as typed when a step could not be checked (an end date before its start, a
malformed date, a text too long): leaving the step with Back, or any other way, loses nothing.

The draft (sealed under the key in the reporter's cookie, like every other answer) keeps the
step's fields exactly as they were sent, under TYPED_KEY, until that step is sent again and
passes its checks. Whatever part of the step was valid is merged into the answers at once; the
question that failed keeps its earlier answer. The step page shows the typed values again, with
the message, and the review page does not send while any are waiting.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from safelight.intake.questions import StepForm

# Not a question code (codes are slugs), like safelight.escrow.together.DRAFT_KEY.
TYPED_KEY = "~typed"


def _all(answers: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    value = answers.get(TYPED_KEY)
    return value if isinstance(value, dict) else {}


def typed_for(answers: dict[str, Any], step) -> QueryDict | None:
    """The step's fields as last typed, when they are waiting to be checked; else None."""
    fields = _all(answers).get(str(step.pk))
    if not fields:
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, [str(v) for v in values])
    return data


def steps_waiting(answers: dict[str, Any]) -> set[str]:
    """The ids (as text) of the steps whose typed answers are waiting to be checked."""
    return set(_all(answers))


def keep(form: StepForm, post: QueryDict, earlier: dict[str, Any]) -> dict[str, Any]:
    """The answers with the form's valid questions merged and the step's fields kept as typed.

    Call only after form.is_valid() returned False."""
    failed = {
        shown.question.key
        for shown in form.shown
        if any(name in form.errors for name in shown.fields)
    }
    merged = form.answers(earlier)
    for key in failed:
        if key in earlier:
            merged[key] = earlier[key]
        else:
            merged.pop(key, None)
    names = [name for shown in form.shown for name in shown.fields]
    waiting = dict(_all(earlier))
    waiting[str(form.step.pk)] = {name: post.getlist(name) for name in names}
    merged[TYPED_KEY] = waiting
    return merged


def checked(answers: dict[str, Any], step) -> dict[str, Any]:
    """The answers once the step passed its checks: nothing of it waits any more."""
    waiting = dict(_all(answers))
    if waiting.pop(str(step.pk), None) is None:
        return answers
    merged = dict(answers)
    if waiting:
        merged[TYPED_KEY] = waiting
    else:
        merged.pop(TYPED_KEY, None)
    return merged
