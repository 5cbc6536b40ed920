"""The pseudo-locale: accented, lengthened English that shows which text went through gettext.

Every msgid becomes a msgstr in which each ASCII letter is swapped for an accented one and the
text is lengthened by about a third ("Start" -> "[Šţáŕţ ~~]"), keeping placeholders, HTML tags,
entities, addresses and URLs exactly. A page rendered in it should have no plain ASCII word left
but the data it shows; any other English word did not go through a catalogue.

The msgids come from a fresh extraction of the source (`makemessages`, with the project's own
options, over a copy of safelight/), not from the committed catalogues, so that a text counts as
translatable as soon as the source marks it. Django's and the other installed apps' own texts
(form errors, month names) are taken from their catalogues and marked differently ("⟦...⟧"),
so that a test can say which of them a page shows: the shipped languages get those from Django's
catalogues, which Filipino, for one, does not have.

The language code is "en-xa", as Chrome and Android call their accented English.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CODE = "en-xa"
LOCALE_NAME = "en_XA"

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçďéƒĝĥíĵķĺɱńöƥʠŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀŃÖƤǪŔŠŢÚṼŴẊÝŽ"
ACCENT = str.maketrans(_PLAIN, _ACCENTED)
UNACCENT = str.maketrans(_ACCENTED, _PLAIN)
# Kept as they are: Python placeholders (not "83% of", which is a percentage), brace
# placeholders, HTML tags and entities, URLs and email addresses.
PROTECTED = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|%[-#0+]?\d*(?:\.\d+)?[sdifr]"
    r"|\{[A-Za-z0-9_]*\}|<[^<>]*>|&[#\w]+;|https?://[^\s<>\"']+|[\w.+-]+@[\w-]+\.[\w.-]+"
)
OWN = ("[", "]")  # Safelight's texts
OTHERS = ("⟦", "⟧")  # Django's and other apps' texts
MARKERS = "[]⟦⟧~"


def pseudo(text: str, marks: tuple[str, str] = OWN) -> str:
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    body, last = [], 0
    for found in PROTECTED.finditer(core):
        body.append(core[last:found.start()].translate(ACCENT))
        body.append(found.group())
        last = found.end()
    body.append(core[last:].translate(ACCENT))
    # About a third longer, in short runs a line can break between.
    extra = max(2, round(len(core) * 0.3))
    padding = " ".join("~" * min(6, extra - i) for i in range(0, extra, 6))
    return f"{lead}{marks[0]}{''.join(body)} {padding}{marks[1]}{trail}"


# The msgids -------------------------------------------------------------------------------------


def extract(work: Path) -> polib.POFile:
    """Safelight's msgids as `scripts/translations.py update` would extract them today."""
    from tests.i18n import translations_script

    tool = translations_script()
    copy = work / "safelight"
    shutil.copytree(
        ROOT / "safelight", copy,
        ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"),
    )
    (copy / "locale").mkdir()
    tool.makemessages(copy, [LOCALE_NAME])
    return polib.pofile(str(copy / "locale" / LOCALE_NAME / "LC_MESSAGES" / "django.po"))


def third_party_catalogues() -> list[Path]:
    """One catalogue (English where there is one) of Django and of each installed app that is
    not Safelight's own: their msgids, not their translations, are what is needed."""
    import django
    from django.apps import apps

    found = [Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    for config in apps.get_app_configs():
        if config.name.startswith("safelight"):
            continue
        locale = Path(config.path) / "locale"
        candidates = sorted(locale.glob("*/LC_MESSAGES/django.po"))
        english = locale / "en" / "LC_MESSAGES" / "django.po"
        if english.exists():
            found.append(english)
        elif candidates:
            found.append(candidates[0])
    return found


def build(work: Path, own: polib.POFile) -> Path:
    """Write the pseudo catalogue under work/locale (a LOCALE_PATHS entry); returns that path."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": LOCALE_NAME,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen: set[tuple[str | None, str]] = set()
    sources = [(own, OWN)] + [(polib.pofile(str(p)), OTHERS) for p in third_party_catalogues()]
    for catalogue, marks in sources:
        for entry in catalogue:
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or not entry.msgid or key in seen:
                continue
            seen.add(key)
            made = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
            if entry.msgid_plural:
                made.msgid_plural = entry.msgid_plural
                made.msgstr_plural = {0: pseudo(entry.msgid, marks),
                                      1: pseudo(entry.msgid_plural, marks)}
            else:
                made.msgstr = pseudo(entry.msgid, marks)
            po.append(made)
    locale = work / "locale"
    target = locale / LOCALE_NAME / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    po.save_as_mofile(str(target / "django.mo"))
    return locale


# The visible text of a page ---------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
# Attributes a person sees or hears: tooltips, image text, labels read out, placeholders, and the
# labels scripts put on buttons (data-label, data-working-label).
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-label",
                    "data-working-label")
BUTTON_TYPES = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """Text nodes and shown attributes of a page, in order, without scripts, styles and text
    that says it is in another language (lang="..." other than the page's) or not to be
    translated (translate="no")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.page_lang: str | None = None
        self._skipping: list[str] = []  # the open elements whose content is skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page_lang = values.get("lang")
            return
        skip = (
            tag in ("script", "style", "template")
            or values.get("translate") == "no"
            or ("lang" in values and values["lang"] != self.page_lang)
        )
        if self._skipping or skip:
            if tag not in VOID:
                self._skipping.append(tag)
            return
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.texts.append(values["value"])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        depth = len(self._skipping)
        self.handle_starttag(tag, attrs)
        del self._skipping[depth:]  # <x/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            text = " ".join(data.split())
            if text:
                self.texts.append(text)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts


WORD = re.compile(r"[^\W\d_]+")
ASCII_LETTER = re.compile(r"[A-Za-z]")
OTHERS_TEXT = re.compile(r"⟦([^⟦⟧]*?)(?: ~[~ ]*)?⟧")


def untranslated(text: str, allowed: list[str]) -> list[str]:
    """The plain-ASCII words of `text` once allowed strings (data, names) are taken out."""
    rest = text
    for item in allowed:
        if item and item in rest:
            rest = rest.replace(item, " ")
    return [word for word in WORD.findall(rest) if ASCII_LETTER.search(word)]


def others_texts(text: str) -> list[str]:
    """Django's and other apps' texts in `text`, back in plain English."""
    return [found.translate(UNACCENT).strip() for found in OTHERS_TEXT.findall(text)]
