"""The reporter side's check of a phone's apps: paste the text or choose a file (issue 16)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safelight.forms import SECRET_INPUT_ATTRS, NoAutofill


class CheckForm(NoAutofill, forms.Form):
    """What the phone gave: pasted text or a file. Neither is stored; the view checks it and
    shows the result in the response."""

    text = forms.CharField(
        label=_("Paste the text here"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "ltr", **SECRET_INPUT_ATTRS}),
    )
    # allow_empty_file: the engine says "The file is empty." in its own words.
    file = forms.FileField(label=_("Or choose a file"), required=False, allow_empty_file=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the text or choose a file."), code="empty")
        return cleaned
