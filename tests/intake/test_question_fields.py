"""Every step of the default questionnaire names each input and announces its help text and
errors (issue 13, item 15): a question of one input is headed by that input's <label>, a group
of choices is a fieldset with a legend, and aria-describedby names ids that are on the page."""

from __future__ import annotations

import re

from safelight.reports.models import QuestionKind
from tests.accessible_html import problems
from tests.intake import flow


def _first(channel, kind: str, *, with_help: bool = False):
    """(step number, question) of the first question of this kind."""
    for number, step in enumerate(channel.questionnaire.steps.order_by("position"), start=1):
        for question in step.questions.order_by("position"):
            if question.kind == kind and question.show_if_id is None and (
                question.help_text or not with_help
            ):
                return number, question
    raise LookupError(kind)


def test_it_names_every_input_of_every_step(client, channel):
    flow.start(client, channel)
    for number in range(1, channel.questionnaire.steps.count() + 1):
        html = client.get(flow.step_url(channel, number)).content.decode()
        assert problems(html) == [], f"step {number}"


def test_it_heads_a_question_of_one_input_with_its_label_and_reads_its_help(client, channel):
    number, question = _first(channel, QuestionKind.LONG_TEXT, with_help=True)
    name = f"q_{question.key}"
    flow.start(client, channel)
    html = client.get(flow.step_url(channel, number)).content.decode()
    block = html[html.index(f'id="question-{question.key}"'):]
    block = block[:block.index("</textarea>")]
    assert f'<label class="legend" for="id_{name}">{question.label}' in block
    assert "<legend" not in block
    assert f'aria-describedby="id_{name}_helptext"' in block
    assert f'id="id_{name}_helptext"' in block


def test_it_keeps_a_group_of_choices_in_a_fieldset_with_a_legend(client, channel):
    number, question = _first(channel, QuestionKind.MULTIPLE_CHOICE)
    flow.start(client, channel)
    html = client.get(flow.step_url(channel, number)).content.decode()
    assert re.search(
        rf'<fieldset class="question[^"]*" id="question-{question.key}"[^>]*>\s*<legend>', html
    )


def test_it_reads_out_a_date_range_error(client, channel):
    number, question = _first(channel, QuestionKind.DATE_RANGE)
    name = f"q_{question.key}"
    flow.start(client, channel)
    response = flow.answer(client, channel, number,
                           {f"{name}_from": "2026-03-10", f"{name}_to": "2026-03-01"})
    html = response.content.decode()
    assert f'aria-describedby="id_{name}_to_error"' in html
    assert f'id="id_{name}_to_error"' in html
    assert problems(html) == []
