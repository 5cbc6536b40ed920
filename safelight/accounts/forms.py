from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from safelight.accounts import language_status
from safelight.accounts.models import Handler, NotifyWhen


class SignInForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        help_text=_("Leave empty the first time you sign in: you will set up the app next."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AuthenticatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=password_validators_help_text_html,
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class NotifyForm(forms.Form):
    """When the handler hears of new reports and of reporters' new messages."""

    notify = forms.ChoiceField(
        label=_("Tell me of new reports and new messages from reporters"),
        widget=forms.RadioSelect,
        help_text=_(
            "Emails say only that something is waiting, never what: sign in to read it. Only "
            "reports you can open count."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["notify"]).choices = NotifyWhen.choices


class OwnEmailForm(forms.Form):
    """The handler's own address, and the language of the mails sent to them."""

    email = forms.EmailField(
        label=_("Your own email address"),
        required=False,
        help_text=_(
            "If an administrator resets your password or authenticator, you are told here at "
            "once, and your account stays closed until you confirm through that email. Use an "
            "address that your organisation's administrators cannot read."
        ),
    )
    language = forms.ChoiceField(
        label=capfirst(Handler._meta.get_field("language").verbose_name),
        choices=language_status.choices_with_status,
        required=False,  # not sent: the language stays as it is
    )


class ConfirmResetForm(forms.Form):
    """Only a button: confirming needs a POST (with its CSRF token), never a bare link."""
