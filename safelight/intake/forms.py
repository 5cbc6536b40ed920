import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.forms import SECRET_INPUT_ATTRS, NoAutofill
from safelight.intake.questions import MultipleFileField


class ReceiptForm(NoAutofill, forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=100,
        help_text=_(
            "The 28 digits you were given when you sent your report. Spaces do not matter."
        ),
        widget=forms.TextInput(
            attrs={**SECRET_INPUT_ATTRS, "inputmode": "numeric"}
        ),
    )


class MessageForm(NoAutofill, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Django's form metaclass moves declared fields into base_fields, so this never shadows
    # BaseForm.files (the request's uploads); the stubs cannot see that.
    files = MultipleFileField(label=_("Add files"), required=False)  # type: ignore[assignment]
    keep_details = forms.BooleanField(
        label=_("Keep hidden details (such as where a photo was taken) in these files"),
        required=False,
        help_text=_(
            "Leave this unticked unless you want them kept as evidence: hidden details can show "
            "where you were, which phone you use and who wrote a document."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("body", "").strip() and not data.get("files"):
            raise forms.ValidationError(_("Write a message or add a file to send."))
        return data


class CheckInForm(NoAutofill, forms.Form):
    worse = forms.ChoiceField(
        label=_("Since you reported, has anyone treated you worse because of it?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no. Your note, if you wrote one, is kept.")},
    )
    note = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RemoveFilesForm(forms.Form):
    """The files a step's "Remove this file" boxes name: draft file ids, checked here so that
    nothing else (a malformed id, an injection attempt) reaches a query or the log."""

    remove_file = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def clean_remove_file(self) -> list[uuid.UUID]:
        ids = []
        for value in self.cleaned_data.get("remove_file") or []:
            try:
                ids.append(uuid.UUID(str(value)))
            except ValueError:
                raise forms.ValidationError(
                    _("We could not tell which file to remove, so none was removed. Everything "
                      "you wrote is still here: tick “Remove this file” again if you want to."),
                    code="bad_file",
                ) from None
        return ids
