"""Lists in a sentence, joined the way the page's language joins them.

A template that writes `{{ names|join:", " }}` or puts ", " between the items of a loop joins them
in English whatever the page's language: Arabic, Persian and Urdu separate a list with "، ",
Chinese with "、". The separator is a text of the catalogue, so each language's translators set it
(msgctxt "list separator"); a language that has not set it gets ", ".

- `values|join_list` escapes each item and joins them with the language's separator;
- `names|join_list:"bdi"` isolates each item as `|bdi` does (names, handles, file names);
- `people|with_role` gives each person (anything with `.name` and `.role`) as "name (role)" in the
  language's own words and brackets, the name isolated: `who.now|with_role|join_list`;
- `{% list_separator %}` is the separator alone, for a loop whose items carry their own markup.

Put the joined list into its sentence as a placeholder, so that the sentence is one text to
translate: `{% blocktranslate with names=who.names_now|join_list:"bdi" %}Read by {{ names }}.`
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, pgettext

from safelight.templatetags.bidi import isolated

register = template.Library()

ISOLATE = "bdi"


def separator() -> str:
    # Translators: what separates the items of a list inside a sentence ("Hana, Ben, Sam"),
    # spaces included: ", " in most languages, "، " in Arabic, Persian and Urdu, "、" in Chinese.
    return pgettext("list separator", ", ")


@register.simple_tag
def list_separator() -> str:
    """The language's list separator (escaped by the template engine, like any value)."""
    return separator()


@register.filter
def join_list(values: Iterable[object] | None, how: str = "") -> SafeString:
    """The items, each escaped (or isolated, with "bdi"), joined by the language's separator."""
    if how not in ("", ISOLATE):
        raise template.TemplateSyntaxError(f'join_list takes "" or "{ISOLATE}", not {how!r}')
    if not values:
        return mark_safe("")
    if how == ISOLATE:
        page_rtl = get_language_bidi()
        items = [isolated(value, page_rtl) for value in values]
    else:
        items = [conditional_escape(str(value)) for value in values]
    return mark_safe(  # noqa: S308 - every part is escaped by format_html or conditional_escape
        conditional_escape(separator()).join(items)
    )


@register.filter
def with_role(people: Iterable[Any] | None) -> list[SafeString]:
    """Each person as "name (role)" in the page's language, the name isolated where it matters."""
    page_rtl = get_language_bidi()
    return [
        format_html(
            # Translators: a person and their role on a channel, as in "Hana Ito (Investigator)";
            # use your language's own brackets.
            pgettext("person and role", "{name} ({role})"),
            name=isolated(person.name, page_rtl),
            role=person.role,
        )
        for person in people or ()
    ]
