"""The administration of texts in every language (safelight.accounts.content).

An administrator edits one language at a time: django-parler's language tabs above the form, an
untranslated language's tab marked as such. Above the fields, the page says plainly which
languages are missing and that readers of those languages get the organisation's default
language instead; the list shows every language of every row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin, TranslatableStackedInline, TranslatableTabularInline

from safelight.accounts.content import TranslatedContent

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def language_names(codes: list[str]) -> str:
    return ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in codes)


class TranslatedContentAdmin(TranslatableAdmin):
    """Mixed in before ScopedAdmin: `class ChannelAdmin(TranslatedContentAdmin, ScopedAdmin)`.
    Add "translation_status" to the form's fields (it is read-only) and
    "translated_languages" to list_display."""

    @admin.display(description=_("translations"))
    def translation_status(self, obj: TranslatedContent | None) -> str:
        if obj is None or obj.pk is None:
            return gettext(
                "Write the text in one language first; add the others with the language tabs "
                "once it is saved."
            )
        missing = obj.missing_languages()
        fallback = LANGUAGE_NAMES.get(obj.content_language(), obj.content_language())
        if not missing:
            return gettext("Translated into every language.")
        return format_html(
            "{} <strong>{}</strong>. {}",
            gettext("Not yet translated into:"),
            language_names(missing),
            gettext(
                "Reporters who read one of these languages see this text in %(language)s, "
                "the organisation's default language."
            ) % {"language": fallback},
        )

    @admin.display(description=_("languages"))
    def translated_languages(self, obj: TranslatedContent) -> str:
        have = set(obj.get_available_languages())
        return format_html_join(
            " ", '<span title="{}">{}</span>',
            ((str(LANGUAGE_NAMES.get(code, code)),
              code if code in have else format_html("<del>{}</del>", code))
             for code, _name in settings.LANGUAGES),
        )


class TranslatedStackedInline(TranslatableStackedInline):
    """An inline whose rows follow the parent page's language tab."""


class TranslatedTabularInline(TranslatableTabularInline):
    """An inline whose rows follow the parent page's language tab."""
