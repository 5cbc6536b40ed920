from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.intake.actions import NEXT_STATUSES
from safelight.intake.forms import MessageForm
from safelight.intake.models import Status


class ReplyForm(MessageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply to the reporter")
        self.fields["body"].help_text = _(
            "The reporter reads this when they follow up with their receipt. Ask for what is "
            "missing; never ask them to tell it all again."
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [
            (s.value, labels[s.value]) for s in NEXT_STATUSES[Status(report.status)]
        ]
