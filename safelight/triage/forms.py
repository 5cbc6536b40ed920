"""The checklist as a form: reporter wording at intake, labels and reasons for handlers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from safelight.triage.models import RiskChecklist, RiskItem

NOTE_MAX_LENGTH = 10_000


def _handler_choice(item: RiskItem) -> str:
    if item.urgent_alone:
        return format_html(
            '<strong>{}</strong> <span class="tag urgent">{}</span>'
            '<br><span class="help reason">{}</span>',
            item.handler_label, _("urgent on its own"), item.reason,
        )
    return format_html(
        '<strong>{}</strong><br><span class="help reason">{}</span>',
        item.handler_label, item.reason,
    )


class ChecklistField(forms.MultipleChoiceField):
    """Tick boxes, one per item; the cleaned value is the ticked item keys in checklist order."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, items: list[RiskItem], for_handler: bool = False, **kwargs) -> None:
        self.item_keys = [item.key for item in items]
        choices = [
            (item.key, _handler_choice(item) if for_handler else item.question) for item in items
        ]
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> list[str]:
        chosen = set(super().clean(value))
        return [key for key in self.item_keys if key in chosen]


def checklist_field(
    checklist: RiskChecklist, *, for_handler: bool = False, **kwargs
) -> ChecklistField:
    """Just the field, for the intake questionnaire's "risk_checklist" question: pass the
    question's label and help text; without them, the checklist's name and introduction."""
    kwargs.setdefault("label", checklist.name)
    if not for_handler:
        kwargs.setdefault("help_text", checklist.introduction)
    return ChecklistField(items=list(checklist.items.all()), for_handler=for_handler, **kwargs)


class ChecklistForm(forms.Form):
    """`checked` (a list of item keys) and, for handlers, an optional `note`."""

    def __init__(
        self, checklist: RiskChecklist, *, for_handler: bool, data=None, initial=None, **kwargs
    ) -> None:
        super().__init__(data=data, initial=initial, **kwargs)
        self.checklist = checklist
        self.for_handler = for_handler
        if for_handler:
            self.fields["checked"] = checklist_field(
                checklist, for_handler=True, label=_("What applies"),
                help_text=_("Tick what you know applies. The priority follows from the score."),
            )
            self.fields["note"] = forms.CharField(
                label=_("Note (optional)"),
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Encrypted with the report: only its readers can see it."),
            )
        else:
            self.fields["checked"] = checklist_field(checklist, label=checklist.name)

    @property
    def checked(self) -> list[str]:
        return self.cleaned_data.get("checked", [])

    @property
    def note(self) -> str:
        return self.cleaned_data.get("note", "").strip() if self.for_handler else ""
