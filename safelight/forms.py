"""Forms of the reporter and survivor side: nothing typed into them is kept by the browser.

Browsers remember what was typed into a form's fields (Chromium's "autocomplete" entries and
address profiles, in the profile's `Web Data`) and offer it again, to anyone who uses the device.
`autocomplete="off"` on a field tells them not to keep it; every form a reporter or survivor
fills in uses `NoAutofill`, so no field can be forgotten. The `<form>` elements carry
`autocomplete="off"` too (Firefox then also does not restore their state on Back or reload).

Secrets that are typed (the receipt, the locker's passphrase) stay text fields: a password
field would make browsers offer to save them in the password manager. `SECRET_INPUT_ATTRS` keeps
them out of autofill, spelling dictionaries and automatic capitals.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField

# Inputs where the attribute means nothing (HTML does not allow it on them).
_NOT_APPLICABLE = frozenset({"hidden", "file", "checkbox", "radio"})

SECRET_INPUT_ATTRS = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


def applies(widget: forms.Widget) -> bool:
    return getattr(widget, "input_type", None) not in _NOT_APPLICABLE and not widget.is_hidden


class NoAutofillBoundField(BoundField):
    """Renders its widget with autocomplete="off", unless the widget already says otherwise."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None
                           ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if applies(widget) and "autocomplete" not in widget.attrs:
            attrs["autocomplete"] = "off"
        return attrs


class NoAutofill:
    """Mix into every form of the reporter and survivor side, before `forms.Form`."""

    bound_field_class: type[BoundField] | None = NoAutofillBoundField
