"""The reporter's language as the staff side names it: "Arabic (العربية)", the name in the
language of the handler's page, then the language's own name (settings.LANGUAGES), so a handler
who reads neither still recognises the script.

The language itself is sealed with the report's answers (safelight.reports.sealing); only a
handler who opens the report learns it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info


def label(code: str | None) -> str | None:
    """"Arabic (العربية)", or None for no code or one Safelight does not speak."""
    endonyms = dict(settings.LANGUAGES)
    if not code or code not in endonyms:
        return None
    own_name = str(endonyms[code])
    name = str(get_language_info(code)["name_translated"])
    if name == own_name:
        return own_name
    return f"{name} ({own_name})"
