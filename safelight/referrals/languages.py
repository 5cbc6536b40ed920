"""Language codes of the directory: ISO 639 codes ("en", "cy", "bsl"), kept as a comma list.

Names come from Django's own table (translated into the reader's language) with a few additions
that matter to support services and that Django has no locale for.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

CODE = re.compile(r"^[a-z]{2,3}$")

EXTRA_NAMES = {  # English names, marked for translation
    "am": gettext_noop("Amharic"),
    "bsl": gettext_noop("British Sign Language"),
    "gu": gettext_noop("Gujarati"),
    "ku": gettext_noop("Kurdish"),
    "ps": gettext_noop("Pashto"),
    "so": gettext_noop("Somali"),
    "ti": gettext_noop("Tigrinya"),
    "zh": gettext_noop("Chinese"),
}

# ISO 639-2/3 codes that other directories use for languages that have a two-letter code.
THREE_TO_TWO = {
    "amh": "am", "ara": "ar", "ben": "bn", "bul": "bg", "chi": "zh", "cym": "cy", "deu": "de",
    "eng": "en", "fas": "fa", "fra": "fr", "fre": "fr", "ger": "de", "gla": "gd", "gle": "ga",
    "guj": "gu", "hin": "hi", "ita": "it", "kur": "ku", "lav": "lv", "lit": "lt", "pan": "pa",
    "per": "fa", "pol": "pl", "por": "pt", "pus": "ps", "ron": "ro", "rum": "ro", "rus": "ru",
    "som": "so", "spa": "es", "swe": "sv", "tam": "ta", "tir": "ti", "tur": "tr", "ukr": "uk",
    "urd": "ur", "wel": "cy", "zho": "zh",
}


def normalise_code(value: str) -> str:
    """ "EN-gb" -> "en", "cym" -> "cy"; the result may still be invalid (check with CODE)."""
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return THREE_TO_TWO.get(code, code)


def split_codes(text: str) -> list[str]:
    """ "en, CY pl" -> ["en", "cy", "pl"]: normalised, duplicates dropped, order kept."""
    codes: list[str] = []
    for part in re.split(r"[,;\s]+", text or ""):
        if part:
            code = normalise_code(part)
            if code not in codes:
                codes.append(code)
    return codes


def join_codes(codes: list[str]) -> str:
    return ", ".join(codes)


def validate_codes(value: str) -> None:
    bad = [code for code in split_codes(value) if not CODE.match(code)]
    if bad:
        raise ValidationError(
            _("Use ISO 639 language codes such as “en”, “cy” or “bsl”, separated by commas "
              "(not understood: %(codes)s)."),
            params={"codes": ", ".join(bad)},
        )


def language_name(code: str) -> str:
    """The language's name in the reader's language; the code itself when unknown."""
    if code in EXTRA_NAMES:
        return gettext(EXTRA_NAMES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def english_name(code: str) -> str:
    if code in EXTRA_NAMES:
        return EXTRA_NAMES[code]
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


def code_for_name(name: str) -> str | None:
    """ "Welsh" -> "cy": for directories that name languages without codes."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    from django.conf.locale import LANG_INFO

    for code, info in LANG_INFO.items():
        if "name" in info and info["name"].casefold() == wanted and CODE.match(code):
            return code
    for code in EXTRA_NAMES:
        if EXTRA_NAMES[code].casefold() == wanted:
            return code
    return None
