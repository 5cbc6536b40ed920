"""Question kinds that another app asks: intake's interface, so that it imports none of them.

A question kind such as "report together" belongs to intake's questionnaire, but what it asks
and how is another app's (safelight.escrow). settings.SAFELIGHT_QUESTION_EXTENSIONS maps such a
kind to a dotted path of a class, loaded like Django's MIDDLEWARE, that gives:

- `field(question, channel, common)`: the question's own form field in the step's form
  (safelight.intake.questions.StepForm), or None when it is not asked (the organisation does not
  offer it now). `common` holds the label, help text and required flag every field takes.
- `step_part(draft=, data=)`: the kind's own inputs on a step page that holds such a question, a
  `StepPart` (a Django form over the step's POST; `data` is None on GET).
- `review(channel=, answers=, questions=, step=, who=)`: its part of the review page's context.
  `questions` are the channel's questions of the kind, `step` the number of the first step that
  asks one (None if none), `who` the report's audience (safelight.intake.audience).

The step view asks the parts of the kinds on its step and names none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.module_loading import import_string

from safelight.intake.drafts import OpenDraft
from safelight.reports.models import Channel, Question, Step

if TYPE_CHECKING:
    from safelight.intake.audience import Audience

Answers = dict[str, Any]


class StepPart(Protocol):
    """A question kind's own inputs on one step page."""

    # The name its part of the page has in the step template's context.
    name: str
    # Whether the page runs WebAssembly in the browser (safelight.middleware's CSP).
    allows_wasm: bool

    def wants_to_stay(self) -> bool:
        """The person pressed one of its buttons (or Enter in one of its inputs): the step
        stays on screen, whatever else was pressed."""
        ...

    def take(self, answers: Answers) -> Answers:
        """Once the step's own answers passed their checks: the answers with what its inputs
        add or remove."""
        ...

    def blocks(self) -> bool:
        """What `take` was given could not be taken: the step stays on screen to say why."""
        ...

    def context(self, answers: Answers, *, asked: bool) -> Any:
        """Its part of the page, given the draft's answers and whether one of its questions is
        asked on the page (None when nothing is to be shown)."""
        ...


class QuestionExtension(Protocol):
    def field(self, question: Question, channel: Channel,
              common: dict[str, Any]) -> forms.Field | None: ...

    def step_part(self, *, draft: OpenDraft, data: QueryDict | None) -> StepPart: ...

    def review(self, *, channel: Channel, answers: Answers, questions: list[Question],
               step: int | None, who: Audience) -> dict[str, Any]: ...


def extensions() -> dict[str, QuestionExtension]:
    """{question kind: its extension}, as settings.SAFELIGHT_QUESTION_EXTENSIONS declares."""
    return {kind: import_string(path)()
            for kind, path in settings.SAFELIGHT_QUESTION_EXTENSIONS.items()}


def extension_for(kind: str) -> QuestionExtension | None:
    path = settings.SAFELIGHT_QUESTION_EXTENSIONS.get(kind)
    return import_string(path)() if path else None


def parts_for(step: Step, *, draft: OpenDraft,
              data: QueryDict | None) -> list[tuple[str, StepPart]]:
    """(kind, part) for each extended kind the step holds a question of, asked now or not."""
    kinds = {question.kind for question in step.questions.all()}
    return [(kind, extension.step_part(draft=draft, data=data))
            for kind, extension in extensions().items() if kind in kinds]
