from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.cases.models import ActionTaken, MeasureKind, MeasureState, OutcomeCategory
from safelight.intake.actions import NEXT_STATUSES
from safelight.intake.forms import MessageForm
from safelight.intake.models import Status


class ReplyForm(MessageForm):
    # Carried from "start from a template": which template and which directory services the
    # reply was written from, so the case records them.
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    services = forms.CharField(required=False, widget=forms.HiddenInput)

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

    def __init__(self, *args, templates, services, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("No template"))] + [
            (t.pk, f"{t.get_kind_display()} · {t.name} ({t.language})") for t in templates
        ]
        self.fields["services"].choices = [(s.pk, s.name) for s in services]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [
            (s.value, labels[s.value]) for s in NEXT_STATUSES[Status(report.status)]
        ]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False,
                                      empty_value=None)

    def __init__(self, *args, recipients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
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

    def clean_actions(self):
        actions = self.cleaned_data["actions"]
        if ActionTaken.NONE in actions and len(actions) > 1:
            raise forms.ValidationError(_("“No action” cannot be chosen with other actions."))
        return actions
