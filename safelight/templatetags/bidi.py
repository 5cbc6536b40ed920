"""Text direction in templates: right-to-left pages with left-to-right values, and the reverse.

A page in Arabic, Persian or Urdu may show an English name, a file name or a receipt inside its
own sentences, and an English page may show what someone wrote in Arabic. Without isolation the
Unicode bidirectional algorithm lets such a value take neighbouring punctuation and numbers into
its own direction ("(Hana Ito)" printed as ")Hana Ito("). These filters isolate the value:

- `value|bdi` wraps it in <bdi>, which takes its direction from its own first strong letter;
- `names|bdi_join:", "` wraps each item, then joins them;

both only where isolation can change what is shown: on a right-to-left page, or for a value
with a right-to-left letter in it. A value in a Latin, Cyrillic or other left-to-right script on
a left-to-right page reads the same either way, and its page keeps its plain markup.
- `field|dir_auto` renders a form field where people type (text, email, password, textarea)
  with dir="auto", so Arabic typed on an English page runs right to left, and the reverse.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

register = template.Library()

TYPED_INPUTS = frozenset({"text", "email", "password", "search", "tel", "url"})


RIGHT_TO_LEFT = frozenset({"R", "AL"})  # Unicode's strong right-to-left classes


def has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(character) in RIGHT_TO_LEFT for character in text)


def isolated(value: object, page_rtl: bool) -> str:
    if page_rtl or has_right_to_left(str(value)):
        return format_html("<bdi>{}</bdi>", value)
    return conditional_escape(str(value))


@register.filter
def bdi(value: object) -> str:
    """The value, escaped, in <bdi> where that matters; nothing for an empty value."""
    if value is None or value == "":
        return ""
    return isolated(value, get_language_bidi())


@register.filter
def bdi_join(values: Iterable[object], separator: str = ", ") -> SafeString:
    """Each item isolated as |bdi isolates it, joined by the separator (escaped)."""
    page_rtl = get_language_bidi()
    return mark_safe(  # noqa: S308 - every part is escaped by format_html or conditional_escape
        conditional_escape(separator).join(isolated(v, page_rtl) for v in values)
    )


def typed(field: BoundField) -> bool:
    widget = field.field.widget
    if isinstance(widget, forms.Textarea):
        return True
    return isinstance(widget, Input) and widget.input_type in TYPED_INPUTS


@register.filter
def dir_auto(field: BoundField) -> str:
    """The field as {{ field }} renders it, with dir="auto" on an input people type into."""
    if not isinstance(field, BoundField) or not typed(field):
        return str(field)
    html = field.as_widget(attrs={"dir": "auto"})
    if field.field.show_hidden_initial:
        html += field.as_hidden(only_initial=True)
    return html
