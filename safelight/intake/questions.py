"""A questionnaire step as a Django form, and answers as the people who read them see them.

Answers are kept as plain JSON values keyed by question code: a string, a list of strings (multiple
choice, excluded recipients), {"from": ..., "to": ...} (date range), "yes"/"no". A question whose
condition is not met is never asked and its answer, if any, is dropped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from safelight.forms import NoAutofill
from safelight.intake.step_extensions import extension_for
from safelight.reports.access import channel_recipients, questions_of_step, steps_with_questions
from safelight.reports.models import Channel, Question, QuestionKind, Step
from safelight.triage.access import active_checklist

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
TOGETHER = [
    ("yes", _("Yes: hold my report until someone else names the same person")),
    ("no", _("No: send my report now")),
]


def field_name(question: Question) -> str:
    return f"q_{question.key}"


def recipient_choices(channel: Channel) -> list[tuple[str, str]]:
    return [(str(r.handler_id), display_name(r.handler)) for r in channel_recipients(channel)]


def risk_choices(channel: Channel) -> list[tuple[str, str]]:
    """The organisation's current risk checklist, in the reporter's words."""
    return organisation_risk_choices(channel.organisation)


# Where the draft remembers, per checklist question, which items earlier answers had pre-ticked
# when the person last saw it (not a question code: codes are slugs, so it is never shown).
PRETICKED = "~preticked"


@dataclass(frozen=True)
class ChecklistLine:
    """One line of a risk checklist question's `choices`: `item | wording | question=choice, ...`.

    The wording (optional) replaces the item's own question on this question only, for example to
    ask about the person it happened to; each `question=choice` pre-ticks the item when that
    earlier answer was given (the person can still untick it)."""

    item: str
    wording: str
    ticked_by: tuple[tuple[str, str], ...]


def checklist_lines(question: Question) -> dict[str, ChecklistLine]:
    lines = {}
    for line in (question.choices or "").splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not parts[0]:
            continue
        wording = parts[1] if len(parts) > 1 else ""
        ticked_by = []
        for rule in (parts[2] if len(parts) > 2 else "").split(","):
            key, equals, value = rule.partition("=")
            if equals and key.strip() and value.strip():
                ticked_by.append((key.strip(), value.strip()))
        lines[parts[0]] = ChecklistLine(parts[0], wording, tuple(ticked_by))
    return lines


def question_risk_choices(question: Question, organisation) -> list[tuple[str, str]]:
    """The checklist as this question asks it: the items, in this question's wording if it has
    its own."""
    lines = checklist_lines(question)
    return [
        (key, lines[key].wording if key in lines and lines[key].wording else label)
        for key, label in organisation_risk_choices(organisation)
    ]


def _given(answers: dict[str, Any], key: str, value: str) -> bool:
    given = answers.get(key)
    return value in given if isinstance(given, list) else given == value


def preticked_items(question: Question, answers: dict[str, Any]) -> list[str]:
    """The checklist items that earlier answers pre-tick, in the order of the question's lines."""
    return [
        line.item
        for line in checklist_lines(question).values()
        if any(_given(answers, key, value) for key, value in line.ticked_by)
    ]


def organisation_risk_choices(organisation) -> list[tuple[str, str]]:
    checklist = active_checklist(organisation)
    if checklist is None:
        return []
    return [(item.key, item.question) for item in checklist.items.all()]


def display_name(handler) -> str:
    """The name reporters see: never the username (a sign-in name is half a credential)."""
    name = handler.display_name or handler.user.get_full_name()
    return name or _("Handler %(number)s") % {"number": handler.pk}


def condition_parts(question: Question) -> tuple[str, bool]:
    """(the answer the condition names, whether it is negated): `!code` means "shown unless that
    answer was given" (also when the earlier question was left empty), for alternative wordings
    such as one question for the person it happened to and one for a witness."""
    value = question.show_if_value
    if value.startswith("!"):
        return value[1:], True
    return value, False


def condition_met(question: Question, answers: dict[str, Any]) -> bool:
    other = question.show_if  # None, without a query, when the question has no condition
    if other is None:
        return True
    wanted, negated = condition_parts(question)
    # An answer to a question that is not asked (its own condition unmet) counts as no answer.
    return (condition_met(other, answers) and _given(answers, other.key, wanted)) != negated


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _field_for(question: Question, channel: Channel) -> forms.Field | None:
    # What every field takes; also handed to an extension's field() (step_extensions).
    common: dict[str, Any] = {
        "label": question.label, "help_text": question.help_text, "required": False,
    }
    kind = question.kind
    extension = extension_for(kind)
    if extension is not None:
        # A kind another app asks (safelight.intake.step_extensions): None when not offered now.
        return extension.field(question, channel, common)
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=50_000, widget=forms.Textarea(attrs={"rows": 8}), **common
        )
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c.value, c.label) for c in question.choice_list()],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choice_list()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == QuestionKind.EXCLUDED_RECIPIENTS:
        return forms.MultipleChoiceField(
            choices=recipient_choices(channel), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.RISK_CHECKLIST:
        choices = question_risk_choices(question, channel.organisation)
        if not choices:
            return None  # the organisation has no risk checklist: nothing to ask
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=DateInput, **common)
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.FILE:
        return MultipleFileField(**common)
    # Date ranges are two fields, added by the form itself; a kind another app asks is not asked
    # while no app does (settings.SAFELIGHT_QUESTION_EXTENSIONS).
    return None


@dataclass
class ShownQuestion:
    question: Question
    # The question's condition refers to an earlier answer on this same page: without JavaScript
    # the question is shown with a note ("answer this if ..."); with it, it is hidden until then.
    conditional_here: bool
    condition_label: str = ""
    fields: list[str] = field(default_factory=list)
    files: list = field(default_factory=list)  # a file question's files already in the draft


class StepForm(NoAutofill, forms.Form):
    """The questions of one step that apply, given the answers so far."""

    def __init__(
        self, *args, step: Step, channel: Channel, answers: dict[str, Any], **kwargs
    ) -> None:
        kwargs.setdefault("initial", initial_values(step, answers))
        super().__init__(*args, **kwargs)
        self.step = step
        self.channel = channel
        self.shown: list[ShownQuestion] = []
        # Every question's words in one query (their translations prefetched), whatever the
        # number of questions.
        questions = questions_of_step(step)
        here = {q.pk: q for q in questions}
        shown_here: set[int] = set()
        self.preticked: dict[str, list[str]] = {}
        for question in questions:
            if question.show_if_id in here:
                # The question on this page, whose words are already read.
                question.show_if = here[question.show_if_id]
            conditional_here = question.show_if_id in here
            if conditional_here and question.show_if_id not in shown_here:
                conditional_here = False  # that question is not asked here: judge by the draft
            if not conditional_here and not condition_met(question, answers):
                continue
            shown = ShownQuestion(question, conditional_here)
            if conditional_here:
                shown.condition_label = condition_text(question, channel.organisation)
            if question.kind == QuestionKind.DATE_RANGE:
                for suffix, label in (("from", _("From")), ("to", _("To"))):
                    name = f"{field_name(question)}_{suffix}"
                    self.fields[name] = forms.DateField(
                        label=label, required=False, widget=DateInput
                    )
                    shown.fields.append(name)
            else:
                form_field = _field_for(question, channel)
                if form_field is None:
                    continue
                self.fields[field_name(question)] = form_field
                shown.fields.append(field_name(question))
                if question.kind == QuestionKind.RISK_CHECKLIST:
                    self._pretick(question, answers)
            shown_here.add(question.pk)
            self.shown.append(shown)

    def _pretick(self, question: Question, answers: dict[str, Any]) -> None:
        """Tick what earlier answers already said, unless the person saw those ticks before
        (and perhaps took them away): only what is newly said is ticked again."""
        implied = preticked_items(question, answers)
        self.preticked[question.key] = implied
        seen = set((answers.get(PRETICKED) or {}).get(question.key, []))
        new = [key for key in implied if key not in seen]
        if new:
            name = field_name(question)
            current = list(self.initial.get(name) or [])
            self.initial[name] = current + [key for key in new if key not in current]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        for shown in self.shown:
            question = shown.question
            if question.kind == QuestionKind.DATE_RANGE:
                start = data.get(f"{field_name(question)}_from")
                end = data.get(f"{field_name(question)}_to")
                if start and end and start > end:
                    self.add_error(
                        shown.fields[1], _("The end of the period is before its start.")
                    )
        return data

    def bound_groups(self):
        """(shown question, its bound fields) for the template."""
        return [(shown, [self[name] for name in shown.fields]) for shown in self.shown]

    def answers(self, earlier: dict[str, Any]) -> dict[str, Any]:
        """This step's answers, validated, merged into the earlier ones, unmet ones dropped."""
        merged = dict(earlier)
        data = self.cleaned_data
        for shown in self.shown:
            question = shown.question
            merged.pop(question.key, None)
            value = _value(question, data)
            if value not in (None, "", [], {}):
                merged[question.key] = value
        for shown in self.shown:
            if shown.conditional_here and not condition_met(shown.question, merged):
                merged.pop(shown.question.key, None)
        if self.preticked:
            merged[PRETICKED] = {**(merged.get(PRETICKED) or {}), **self.preticked}
        return merged

    def missing_required(self, answers: dict[str, Any]) -> list[str]:
        return [
            field_name(s.question) if s.question.kind != QuestionKind.DATE_RANGE else s.fields[0]
            for s in self.shown
            if s.question.required
            and s.question.kind != QuestionKind.FILE
            and condition_met(s.question, answers)
            and s.question.key not in answers
        ]


def _value(question: Question, data: dict[str, Any]) -> Any:
    name = field_name(question)
    if question.kind == QuestionKind.FILE:
        return None  # files are kept apart from the answers
    if question.kind == QuestionKind.DATE:
        value = data.get(name)
        return value.isoformat() if value else None
    if question.kind == QuestionKind.DATE_RANGE:
        start, end = data.get(f"{name}_from"), data.get(f"{name}_to")
        if not start and not end:
            return None
        return {"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}
    value = data.get(name)
    if isinstance(value, str):
        value = value.strip()
    return value


def initial_values(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    initial = {}
    for question in step.questions.all():
        value = answers.get(question.key)
        if value is None:
            continue
        if question.kind == QuestionKind.DATE_RANGE:
            initial[f"{field_name(question)}_from"] = value.get("from") or None
            initial[f"{field_name(question)}_to"] = value.get("to") or None
        else:
            initial[field_name(question)] = value
    return initial


def answer_label(question: Question, code: str, organisation) -> str:
    """The words of one of a question's answers (a choice's code, "yes", a checklist item) in
    the page's language: codes are stored, words are read where they are shown."""
    if question.kind == QuestionKind.YES_NO:
        return str(dict(YES_NO).get(code, code))
    if question.kind == QuestionKind.REPORT_TOGETHER:
        return str(dict(TOGETHER).get(code, code))
    if question.kind == QuestionKind.RISK_CHECKLIST:
        return dict(question_risk_choices(question, organisation)).get(code, code)
    return next((c.label for c in question.choice_list() if c.value == code), code)


def condition_text(question: Question, organisation=None) -> str:
    """The note under a question whose condition is on the same page; "" if it has none.

    One whole sentence a case, translated as such; only the answer's own words (content, in the
    page's language) go into it."""
    other = question.show_if
    if other is None:
        return ""
    value, negated = condition_parts(question)
    if organisation is None:
        organisation = other.step.questionnaire.organisation
    label = answer_label(other, value, organisation)
    if negated:
        return str(
            _("Answer this only if you did not choose “%(answer)s” above.") % {"answer": label}
        )
    return str(
        _("Answer this only if you chose “%(answer)s” above.") % {"answer": label}
    )


def display_value(question: Question, value: Any, channel: Channel) -> str:
    """An answer in words, as the reporter chose it."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = {c.value: c.label for c in question.choice_list()}
        values: list[str] = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, v) for v in values)
    if kind == QuestionKind.RISK_CHECKLIST:
        labels = dict(question_risk_choices(question, channel.organisation))
        return "\n".join(labels.get(v, v) for v in value)
    if kind == QuestionKind.EXCLUDED_RECIPIENTS:
        names = dict(recipient_choices(channel))
        return ", ".join(names.get(v, str(_("someone no longer on this channel"))) for v in value)
    if kind == QuestionKind.YES_NO:
        return str(dict(YES_NO).get(value, value))
    if kind == QuestionKind.REPORT_TOGETHER:
        return str(dict(TOGETHER).get(value, value))
    if kind == QuestionKind.DATE:
        return _format_date(value)
    if kind == QuestionKind.DATE_RANGE:
        start = _format_date(value.get("from", "")) or "…"
        end = _format_date(value.get("to", "")) or "…"
        return f"{start} \u2013 {end}"
    return str(value)


def _format_date(value: str) -> str:
    if not value:
        return ""
    try:
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return value


def answered_entries(questionnaire, answers: dict[str, Any], channel: Channel, *, identity: bool):
    """[{step, key, label, kind, value, display}] for the answers given, in questionnaire order.

    This snapshot is what gets sealed: a later edit of the questionnaire does not change what a
    handler reads.
    """
    entries = []
    for step in steps_with_questions(questionnaire):
        for question in step.questions.all():
            if question.identity != identity or question.key not in answers:
                continue
            if not condition_met(question, answers):
                continue
            value = answers[question.key]
            entries.append(
                {
                    "step": step.title,
                    "key": question.key,
                    "label": question.label,
                    "kind": question.kind,
                    "value": value,
                    "display": display_value(question, value, channel),
                }
            )
    return entries


# Kinds whose answer is a code (or a date) whose words depend on the language it is read in.
_WORDED_KINDS = (
    QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO,
    QuestionKind.REPORT_TOGETHER, QuestionKind.RISK_CHECKLIST, QuestionKind.DATE,
    QuestionKind.DATE_RANGE,
)


def entries_in_language(entries: list[dict[str, Any]], channel: Channel) -> list[dict[str, Any]]:
    """Sealed answers (answered_entries) with the questions' words in the current language:
    a report written in Spanish, read by a handler in English, shows the English question and,
    for a choice, the English words of the code the reporter chose (answers store codes).

    What the reporter wrote stays as written; an answer whose question is no longer in the
    questionnaire (or asks something else now) is shown as it was sealed."""
    questions = {
        question.key: (step, question)
        for step in steps_with_questions(channel.questionnaire)
        for question in step.questions.all()
    }
    shown = []
    for entry in entries:
        found = questions.get(entry.get("key", ""))
        if found is None or found[1].kind != entry.get("kind"):
            shown.append(entry)
            continue
        step, question = found
        relabelled = {**entry, "step": step.title, "label": question.label}
        if question.kind in _WORDED_KINDS:
            relabelled["display"] = display_value(question, entry.get("value"), channel)
        shown.append(relabelled)
    return shown
