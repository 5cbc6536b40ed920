"""Which of Safelight's translations a native speaker has reviewed, for the lists where an
administrator or a handler chooses a language (an organisation's default language, the language
of a handler's emails).

None has been reviewed yet (docs/translation.md keeps the same table): every language but English,
the language the texts are written in, is listed as a draft. Only a reviewer adds a language here,
with their name, in the same change that records the review in docs/translation.md.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

SOURCE_LANGUAGE = "en"
# Language code -> who reviewed it and when, e.g. {"es": "Ana Pérez (Fundación X), 2027-03"}.
REVIEWED: dict[str, str] = {}


def is_draft(code: str) -> bool:
    return code != SOURCE_LANGUAGE and code not in REVIEWED


def _choices() -> list[tuple[str, str]]:
    return [
        (code, gettext("%(language)s (draft translation, not yet reviewed by a native speaker)")
         % {"language": name} if is_draft(code) else str(name))
        for code, name in settings.LANGUAGES
    ]


def choices_with_status() -> list[tuple[str, str]]:
    """LANGUAGES, each draft marked so, in the page's language."""
    return _choices()



class MarksDraftLanguages:
    """For a ModelAdmin: its language fields list the languages with their review status."""

    language_fields = ("default_language", "language")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name in self.language_fields:
            kwargs["choices"] = choices_with_status()
        return super().formfield_for_choice_field(db_field, request, **kwargs)  # type: ignore[misc]
