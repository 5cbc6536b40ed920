"""The language chooser's data: {% language_choices as choices %} (safelight.language)."""

from __future__ import annotations

from django import template

from safelight import language

register = template.Library()


@register.simple_tag
def language_choices() -> list[language.Choice]:
    return language.choices()
