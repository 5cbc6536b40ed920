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

    def fallbacks_for(self, language_code: str) -> list[str]:
        """Where a reader of `language_code` is sent when it is missing: the organisation's
        default language, then the site's (rows written before there was a default)."""
        chain = [self.content_language(), settings.LANGUAGE_CODE]
        return [code for code in dict.fromkeys(chain) if code != language_code]

    def get_fallback_languages(self) -> list[str]:
        return self.fallbacks_for(self.get_current_language())

    def _get_translated_model(
        self, language_code=None, use_fallback=False, auto_create=False, meta=None
    ):
        """django-parler's own fallback follows PARLER_LANGUAGES (the site's language) only: a
        French-only organisation's text read in German would be missing. Reads fall back along
        `fallbacks_for` instead, then to any language there is, then to blank words."""
        if not use_fallback or auto_create:
            return super()._get_translated_model(language_code, use_fallback, auto_create, meta)
        missing = (meta or self._parler_meta.root).model.DoesNotExist
        asked = language_code or self.get_current_language()
        for code in [asked, *self.fallbacks_for(asked)]:
            try:
                return super()._get_translated_model(code, False, False, meta)
            except missing:
                continue
        found = self._get_any_translated_model(meta=meta)
        if found is None:  # no words in any language (all left blank): blank, not an error
            found = (meta or self._parler_meta.root).model(language_code=asked)
        return found

    def text(self, field: str) -> str:
        """A translated field in the current language or its fallback; "" where none exists."""
        return str(self.safe_translation_getter(field, default="", any_language=True))

    def save_translation(self, translation, *args, **kwargs) -> None:
        """A language with no words is no translation: not stored, so its readers keep the
        default language's words. (The admin makes one for the language tab it shows, and saves
        it whatever was changed: a phone number, say, on the tab of the administrator's own
        language.)"""
        names = [f.name for f in translation._meta.concrete_fields
                 if f.name not in ("id", "master", "language_code")]
        if translation.pk is None and not any(getattr(translation, n) for n in names):
            return
        super().save_translation(translation, *args, **kwargs)

    def missing_languages(self) -> list[str]:
        """The languages a reader would get in the fallback language instead of their own. Only
        stored translations count: the admin's language tab makes one in memory."""
        have = set(self.get_available_languages(include_unsaved=self.pk is None))
        return [code for code in language_codes() if code not in have]
