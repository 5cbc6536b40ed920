from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.cases import reporter_language
from safelight.cases.models import (
    ActionTaken,
    MeasureKind,
    MeasureState,
    OutcomeCategory,
    ReplyTemplate,
)
from safelight.cases.reply_templates import normalise_language
from safelight.intake.forms import MessageForm
from safelight.reports.actions import NEXT_STATUSES
from safelight.reports.models import Status


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A field declared as a ChoiceField (or a subclass) whose choices are set per form."""
    return cast(forms.ChoiceField, form.fields[name])


class ReplyForm(MessageForm):
    # Carried from "start from a template": which template and which directory services the
    # reply was written from, so the case records them.
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    services = forms.CharField(required=False, widget=forms.HiddenInput)
    gives_feedback = forms.BooleanField(
        label=_("This reply gives the reporter feedback on what was done or will be done"),
        required=False,
        help_text=_(
            "Only such a reply meets the first-feedback deadline. An acknowledgement or a "
            "question does not. Replies from an interim-measures or outcome template always "
            "count as feedback."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply to the reporter")
        self.fields["body"].help_text = _(
            "The reporter reads this when they follow up with their receipt. Ask for what is "
            "missing; never ask them to tell it all again."
        )

    def service_ids(self) -> list[int]:
        text = self.cleaned_data.get("services") or ""
        return [int(part) for part in text.split(",") if part.strip().isdigit()]


class StartFromTemplateForm(forms.Form):
    template = forms.TypedChoiceField(label=_("Template"), coerce=int, required=False)
    services = forms.TypedMultipleChoiceField(
        label=_("Services to refer to"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, templates, services, language: str | None = None,
                 **kwargs) -> None:
        """`language`: the reporter's (sealed with the report); its templates come first."""
        super().__init__(*args, **kwargs)
        _choice_field(self, "template").choices = [("", _("No template")), *template_choices(
            templates, language)]
        _choice_field(self, "services").choices = [(s.pk, s.name) for s in services]


def template_choices(templates: Iterable[ReplyTemplate], language: str | None) -> list[Any]:
    """The templates as choices. Knowing the reporter's language: a group of the templates in it
    first, then a group for each other language, in the order given; else one plain list."""
    templates = list(templates)
    if not language:
        return [(t.pk, f"{t.get_kind_display()} · {t.name} ({t.language})") for t in templates]
    groups: dict[str, list[tuple[int, str]]] = {language: []}
    for t in templates:
        code = normalise_language(t.language or "")
        groups.setdefault(code, []).append((t.pk, f"{t.get_kind_display()} · {t.name}"))
    choices: list[Any] = []
    for code, members in groups.items():
        if not members:
            continue
        name = reporter_language.label(code) or code
        if code == language:
            heading = _("Reporter's language:")
            name = f"{heading} {name}"
        choices.append((name, members))
    return choices


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        _choice_field(self, "status").choices = [
            (s.value, labels[s.value]) for s in NEXT_STATUSES[Status(report.status)]
        ]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False,
                                      empty_value=None)

    def __init__(self, *args, recipients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "assignee").choices = [("", _("Nobody"))] + [
            (r.handler_id, f"{r.handler.user.get_full_name() or r.handler.user.get_username()}"
                           f" · {r.get_role_display()}")
            for r in recipients
        ]


class ConflictForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I know a person involved, or have another conflict of interest. Take this case "
                "away from me."),
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    state = forms.ChoiceField(label=_("State"), choices=MeasureState.choices,
                              initial=MeasureState.OFFERED)
    note = forms.CharField(
        label=_("Note (encrypted)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeasureStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=MeasureState.choices)


class CloseForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Outcome"), choices=OutcomeCategory.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome before closing the case.")},
    )
    actions = forms.MultipleChoiceField(
        label=_("Actions taken"), choices=ActionTaken.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the actions taken (or “No action”).")},
    )
    reason = forms.CharField(
        label=_("Reasons (encrypted; for the case record)"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    message = forms.CharField(
        label=_("Closing message to the reporter"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Sent in the conversation when the case closes; the reporter reads it when they "
            "follow up. Tell them the outcome, as far as you can share it, and what happens now."
        ),
    )
    skip_message = forms.BooleanField(
        label=_("Close without writing to the reporter"), required=False,
    )
    no_message_reason = forms.CharField(
        label=_("Why the reporter gets no closing message (encrypted)"), required=False,
        max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: they asked not to be contacted again, or were told in person."),
    )
    # Carried from the outcome template the message was prefilled from.
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("skip_message"):
            if not (data.get("no_message_reason") or "").strip():
                self.add_error("no_message_reason", _(
                    "Say why the reporter gets no closing message, or untick “Close without "
                    "writing to the reporter” and write to them."
                ))
        elif not (data.get("message") or "").strip():
            self.add_error("message", _(
                "Write a closing message to the reporter. If they must not get one, tick "
                "“Close without writing to the reporter” and say why."
            ))
        return data

    def action_arguments(self) -> dict:
        """What close_case takes from the form: the message, or the reason for none."""
        data = self.cleaned_data
        skip = data.get("skip_message")
        return {
            "category": data["category"],
            "actions": data["actions"],
            "reason": data.get("reason", ""),
            "message": "" if skip else data.get("message", ""),
            "no_message_reason": data.get("no_message_reason", "") if skip else "",
        }

    def clean_actions(self):
        actions = self.cleaned_data["actions"]
        if ActionTaken.NONE in actions and len(actions) > 1:
            raise forms.ValidationError(_("“No action” cannot be chosen with other actions."))
        return actions
