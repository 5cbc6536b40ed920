"""{{ code|language_label }}: a language code as the staff side names it (reporter_language)."""

from __future__ import annotations

from django import template

from safelight.cases import reporter_language

register = template.Library()


@register.filter
def language_label(code: str | None) -> str | None:
    return reporter_language.label(code)
