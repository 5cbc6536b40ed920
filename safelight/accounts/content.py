"""An organisation's texts in every language: what content models share.

Questionnaires, channels, the risk checklist, the landing page's texts and referral services are
data an administrator writes, so their words cannot go through gettext. Each such model keeps its
words in a django-parler translation table (one row a language) and derives from
`TranslatedContent`:

- a reporter reads the text in the page's language; where that translation is missing, in the
  organisation's default language (`Organisation.default_language`), never a blank;
- `missing_languages()` tells the administrator which languages fall back, and the admin shows it
  (safelight.accounts.content_admin);
- shipped defaults (the questionnaire, the checklist) come from the gettext catalogues, written in
  every language at once with `in_every_language`.

A model says where its organisation is with `content_organisation()`. Codes, not words, carry
meaning: an answer stores a choice's code, so it keeps its meaning in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.utils import translation
from parler.models import TranslatableModel

if TYPE_CHECKING:
    from safelight.accounts.models import Organisation

T = TypeVar("T")


def language_codes() -> list[str]:
    """Every language Safelight speaks, as django-parler and LANGUAGES spell them ("pt-br")."""
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(build: Callable[[], T]) -> dict[str, T]:
    """`build()` run once a language with that language active: the shipped defaults' words come
    out of the gettext catalogues, so they are translated once, in one place."""
    result = {}
    for code in language_codes():
        with translation.override(code):
            result[code] = build()
    return result


class TranslatedContent(TranslatableModel):
    """A model whose words an administrator writes once a language."""

    class Meta:
        abstract = True

    def content_organisation(self) -> Organisation | None:
        raise NotImplementedError

    def content_language(self) -> str:
        """The organisation's default language: what a reader gets where a translation is
        missing. Remembered on the instance (a page reads many texts of one object)."""
        cached = getattr(self, "_content_language", None)
        if cached is None:
            organisation = self.content_organisation()
            cached = organisation.default_language if organisation else settings.LANGUAGE_CODE
            self._content_language = cached
        return cached

    def get_fallback_languages(self) -> list[str]:
        fallback = self.content_language()
        current = self.get_current_language()
        chain = [fallback] if fallback != current else []
        if settings.LANGUAGE_CODE not in (current, fallback):
            chain.append(settings.LANGUAGE_CODE)  # older rows written before default_language
        return chain

    def missing_languages(self) -> list[str]:
        """The languages a reader would get in the fallback language instead of their own."""
        have = set(self.get_available_languages(include_unsaved=True))
        return [code for code in language_codes() if code not in have]
