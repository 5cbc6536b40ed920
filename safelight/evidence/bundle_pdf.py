"""The evidence bundle's `report.pdf`: the account a police officer or court clerk reads.

`render_pdf(content)` renders `templates/evidence/bundle_pdf.html` with Django's template engine
(autoescape on: whatever a survivor wrote prints as text, never as markup) and lays it out with
WeasyPrint. The renderer reads nothing from the network or the disk: its URL fetcher refuses every
URL, the CSS is inline in the template, there are no images, and survivors' URLs are printed as
text. Fonts come from the system through fontconfig: Debian's Noto and DejaVu fonts, installed by
`scripts/install-system-packages runtime` (fonts-noto-core, fonts-noto-cjk, fonts-dejavu-core),
so that the PDF prints every script of the languages Safelight speaks (`font_stack`).

The PDF is made while the survivor's (or handler's) request is answered, so its own words are in
the active language; `<html lang dir>` follow it. A survivor's words keep their own direction:
WeasyPrint has no `dir="auto"` and no `unicode-bidi`, so `_direction` works out what `dir="auto"`
would and the template puts it on every piece of their text (names, file names, messages).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from safelight.triage.severity import category_labels

from .bundle import key_fingerprint
from .bundle_content import CATEGORIES, PdfContent, PdfIncident, PdfMessage

__all__ = ["RefusingURLFetcher", "font_stack", "render_pdf"]

TEMPLATE = "evidence/bundle_pdf.html"
SHORT_ID = 8  # characters of the locker id in the running header
SHORT_HASH = 16  # hex digits of a message's SHA-256 shown in large type


# Fontconfig's names of the families scripts/install-system-packages installs. Pango takes each
# character from the first family in the list that has it, so a family that covers only part of a
# script must not come before that script's own font: DejaVu Sans has the basic Arabic letters but
# not all of Urdu's (U+06C1, U+06D2), and a word drawn from two fonts loses its joining. DejaVu
# Sans comes last, for symbols and the scripts (Hebrew, Armenian, Georgian) these Noto lack.
LATIN = "Noto Sans"  # Latin (Vietnamese, Turkish, Polish too), Greek, Cyrillic
ARABIC = "Noto Naskh Arabic"  # Arabic, Persian, and Urdu when the PDF is not in Urdu
NASTALIQ = "Noto Nastaliq Urdu"  # Urdu's own style, first when the PDF is in Urdu
CJK = "Noto Sans CJK SC"  # Chinese (Simplified), and Japanese and Korean in survivors' words
SCRIPTS = (ARABIC, "Noto Sans Devanagari", "Noto Sans Bengali", CJK)
FALLBACK = ("DejaVu Sans", "sans-serif")
# Hashes, ids and URLs, in a monospace font; a URL's rare non-ASCII letters come from the rest.
MONO = "DejaVu Sans Mono"
# The hash list's monospace font when its words are in Chinese (its Han characters are exactly
# two ASCII characters wide) or in an Arabic script (it has no Arabic letters: DejaVu Sans Mono's
# partial Arabic would split Urdu words across two fonts).
CJK_MONO = "Noto Sans Mono CJK SC"
MONO_ADVANCE = {MONO: 1233 / 2048, CJK_MONO: 500 / 1000}  # an ASCII character's width, in em
HASH_FONT_PT = 7
ARABIC_SCRIPT = ("ar", "fa", "ur")
LINE_HEIGHT = 1.35
NASTALIQ_LINE_HEIGHT = 2.1  # Nastaliq's words climb and descend far more than Naskh's


def _css_families(families: tuple[str, ...]) -> str:
    return ", ".join(name if name in ("sans-serif", "monospace") else f'"{name}"'
                     for name in families)


def _base(language: str | None) -> str:
    return (language or "").lower().split("-")[0]


def font_stack(language: str | None, *, mono: str = "") -> str:
    """The CSS font-family list for the PDF in `language` (a Django language code): Noto Sans
    for Latin, Greek and Cyrillic, then a font for each other script; Urdu in Nastaliq first
    when the PDF is in Urdu (a survivor's Urdu in a PDF in another language prints in Naskh).
    `mono`: a monospace family to put first."""
    scripts = (NASTALIQ, *SCRIPTS) if _base(language) == "ur" else SCRIPTS
    first = (mono,) if mono else ()
    return _css_families((*first, LATIN, *scripts, *FALLBACK))


def _hash_font(language: str | None) -> str:
    return CJK_MONO if _base(language) in (*ARABIC_SCRIPT, "zh") else MONO


_PROPORTIONAL = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),  # Arabic scripts
                 (0x0900, 0x09FF))  # Devanagari, Bengali


def _cells(text: str) -> float:
    """About how many ASCII characters of the hash list's monospace font `text` takes: Chinese
    characters two; combining marks none; letters of the scripts no monospace font has
    (Arabic, Devanagari, Bengali) one and a half, to be safe."""
    if text.isascii():  # every hash and member: quick
        return len(text)
    cells = 0.0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            cells += 2
        elif any(low <= ord(char) <= high for low, high in _PROPORTIONAL):
            cells += 1.5
        else:
            cells += 1
    return cells


class RefusingURLFetcher(URLFetcher):
    """Refuses every URL: the bundle's PDF is made from the template alone.

    WeasyPrint would ask it for images, stylesheets and fonts named by URL; the template names
    none, and survivors' text is escaped, so a call means a bug. The refusal is not fatal (the
    resource is left out) so that the survivor still gets their bundle.
    """

    def fetch(self, url, headers=None):
        raise ValueError("the evidence bundle's PDF fetches nothing")


def _category_labels() -> dict[str, str]:
    return category_labels()


def _kind_labels() -> dict[str, str]:
    # Short: they fill a column of the monospace hash list.
    return {
        "incident": _("Incident"),
        "file": _("File"),
        "import": _("Export"),
        "export": _("Export"),
        "media": _("Media"),
        "message": _("Message"),
    }


def _hash_lines(
    items: list[tuple[str, str, str]], kinds: dict[str, str], *, cell_px: float
) -> tuple[str, list[str], int]:
    """The hash list as monospace lines "SHA-256  kind<tab>member" (a header and one per item),
    and where the member column starts, in CSS px from the start of the line: the one tab stop.

    SHA-256 first, in ASCII: its fixed width lines up the kind column. A kind is a translated
    word, in a proportional font in some scripts (Arabic, Devanagari, Bengali), so the member
    column is lined up by a tab (CSS tab-size: that one stop) rather than by counting spaces.
    A wrapped member's next line starts at the same place (a hanging indent of that width)."""
    labels = [kinds.get(kind, kind) for _member, kind, _sha in items]
    kind_label = _("Kind")
    file_label = _("File in the ZIP")
    sha_label = _("SHA-256")
    sha_width = max([64, round(_cells(sha_label)), *(len(sha) for _m, _k, sha in items)]) + 2
    kind_width = max([_cells(kind_label), *map(_cells, set(labels))]) + 2
    stop = math.ceil((sha_width + kind_width) * cell_px)

    def pad(text: str) -> str:
        return text + " " * max(sha_width - round(_cells(text)), 2)

    header = f"{pad(sha_label)}{kind_label}\t{file_label}"
    lines = [
        f"{pad(sha)}{label}\t{member}"
        for (member, _kind, sha), label in zip(items, labels, strict=True)
    ]
    return header, lines, stop


def _css_string(text: str) -> str:
    """A CSS string literal holding `text`: everything but ASCII letters, digits and spaces is
    written as a hex escape, so nothing in it can end the string or the style element."""
    out = []
    for char in text:
        if char == " " or (char.isascii() and char.isalnum()):
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def _css_content(template: str, **counters: str) -> str:
    """A CSS `content` value from a translated template with %(name)s placeholders, each of
    which becomes a CSS value (`counter(page)`); the words around them become strings."""
    names = "|".join(re.escape(name) for name in counters)
    parts = []
    for piece in re.split(rf"%\(({names})\)s", template):
        if piece in counters:
            parts.append(counters[piece])
        elif piece:
            parts.append(_css_string(piece.replace("%%", "%")))
    return " ".join(parts) or '""'


def _direction(text: str) -> str:
    """"rtl" when the first strongly directional character of `text` is right-to-left (Arabic,
    Hebrew, ...), else "ltr": what HTML's dir="auto" does, which WeasyPrint does not support."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _isolated(text: str) -> SafeString:
    """`text` (a date, a time) in a span of its own direction: "5 March 2026, 10:30" in a PDF in
    Arabic keeps its day before the month, an Arabic date in a PDF in English reads right to
    left. What <bdi> or dir="auto" does in a browser (WeasyPrint has neither)."""
    return format_html('<span dir="{}">{}</span>', _direction(text), text)


@dataclass
class _ShownMessage:
    message: PdfMessage
    dir: str  # of its text
    sender_dir: str
    source_dir: str  # of where it came from: a file's name, a line
    when: SafeString  # when it was sent, isolated
    short_hash: str = ""
    also: list[str] = field(default_factory=list)  # labels of its other flagged categories


def _shown_message(message: PdfMessage, **more) -> _ShownMessage:
    return _ShownMessage(message=message, dir=_direction(message.text),
                         sender_dir=_direction(message.sender),
                         source_dir=_direction(message.source),
                         when=_isolated(message.sent_at or _("no time given")), **more)


@dataclass
class _ShownIncident:
    incident: PdfIncident
    dirs: dict[str, str]  # field name -> direction of its text
    edits: int  # versions - 1
    files: list[tuple[str, str, str]]  # (name, direction of the name, SHA-256)
    urls: list[tuple[str, SafeString]]  # (URL, when it was captured, isolated)
    when: SafeString


def _shown_incident(incident: PdfIncident) -> _ShownIncident:
    fields = ("title", "platform", "who", "what", "impact", "notes")
    return _ShownIncident(
        incident=incident,
        dirs={name: _direction(getattr(incident, name)) for name in fields},
        edits=max(incident.versions - 1, 0),
        files=[(name, _direction(name), sha256) for name, sha256 in incident.files],
        urls=[(url, _isolated(captured)) for url, captured in incident.urls],
        when=_isolated(incident.when or _("not recorded")),
    )


@dataclass
class _Group:
    label: str
    messages: list[_ShownMessage]


def _primary(categories: list[str]) -> str:
    """The category a flagged message is listed under: the first in display order."""
    known = [key for key in CATEGORIES if key in categories]
    return known[0] if known else sorted(categories)[0]


def _flagged_groups(messages: list[PdfMessage], labels: dict[str, str]) -> list[_Group]:
    """Flagged messages grouped by category, each message once (under its first category in
    display order; its other categories are named beside it)."""
    by_key: dict[str, list[_ShownMessage]] = {}
    for message in messages:
        key = _primary(message.categories)
        others = [k for k in CATEGORIES if k in message.categories and k != key]
        others += sorted(k for k in set(message.categories) - set(CATEGORIES) if k != key)
        by_key.setdefault(key, []).append(
            _shown_message(message, short_hash=message.sha256[:SHORT_HASH],
                           also=[labels.get(k, k) for k in others])
        )
    order = [k for k in CATEGORIES if k in by_key] + sorted(set(by_key) - set(CATEGORIES))
    return [_Group(label=labels.get(key, key), messages=by_key[key]) for key in order]


def _warning_counts(messages: list[PdfMessage], labels: dict[str, str]) -> list[tuple[str, int]]:
    """How many of the flagged messages that follow carry each category (one message may carry
    several), for the content-warning page."""
    tally: dict[str, int] = {}
    for message in messages:
        for key in set(message.categories):
            tally[key] = tally.get(key, 0) + 1
    order = [k for k in CATEGORIES if k in tally] + sorted(set(tally) - set(CATEGORIES))
    return [(labels.get(key, key), tally[key]) for key in order]


def _context(content: PdfContent) -> dict:
    labels = _category_labels()
    kinds = _kind_labels()
    flagged = [m for m in content.messages if m.categories]
    plain = [m for m in content.messages if not m.categories]
    item_kinds = [kind for _member, kind, _sha in content.items]
    short_id = content.locker_id.replace("-", "")[:SHORT_ID]
    header = _("Evidence bundle — locker %(id)s") % {"id": short_id}
    footer = _("Page %(page)s of %(pages)s")
    key = content.public_key.lower()
    # The PDF is in the language of the request it is made for (safelight.evidence.responses).
    language = get_language() or "en"
    bidi = get_language_bidi()
    hash_font = _hash_font(language)
    cell_px = MONO_ADVANCE[hash_font] * HASH_FONT_PT * 4 / 3
    hash_header, hash_rows, hash_indent = _hash_lines(content.items, kinds, cell_px=cell_px)
    nastaliq = _base(language) == "ur"
    return {
        "content": content,
        "short_id": short_id,
        "language": language,
        "exported_at": _isolated(content.exported_at),
        "timeline": [(_isolated(entry.when), entry.what) for entry in content.timeline],
        "direction": "rtl" if bidi else "ltr",
        # The running header sits at the start of the line, the page number at its end.
        "header_box": "top-right" if bidi else "top-left",
        "footer_box": "bottom-left" if bidi else "bottom-right",
        # Font lists and sizes: names and numbers of ours, never a survivor's words.
        "css_sans": mark_safe(font_stack(language)),  # noqa: S308 (constant names)
        "css_mono": mark_safe(font_stack(language, mono=MONO)),  # noqa: S308 (constant names)
        "css_hash_font": mark_safe(font_stack(language, mono=hash_font)),  # noqa: S308 (same)
        "hash_font_pt": HASH_FONT_PT,
        "line_height": NASTALIQ_LINE_HEIGHT if nastaliq else LINE_HEIGHT,
        "hash_line_height": NASTALIQ_LINE_HEIGHT if nastaliq else 1.3,
        # CSS values for the @page margin boxes, built here because only strings escaped for CSS
        # may enter the style element.
        "css_header": mark_safe(_css_string(header)),  # noqa: S308 (escaped by _css_string)
        "css_footer": mark_safe(  # noqa: S308 (escaped by _css_content)
            _css_content(footer, page="counter(page)", pages="counter(pages)")
        ),
        # The same fingerprint `safelight verify` and `safelight evidence_key` print.
        "fingerprint": key_fingerprint(bytes.fromhex(key)),
        "counts": [(labels[key], content.counts.get(key, 0)) for key in CATEGORIES],
        "extra_counts": [
            (labels.get(key, key), count)
            for key, count in sorted(content.counts.items())
            if key not in CATEGORIES
        ],
        "flagged_total": len(flagged),
        "files_total": item_kinds.count("file"),
        "imports_total": item_kinds.count("import"),
        "incidents": [_shown_incident(incident) for incident in content.incidents],
        "plain_messages": [_shown_message(m) for m in plain],
        "groups": _flagged_groups(flagged, labels),
        "warning_counts": _warning_counts(flagged, labels),
        "hash_header": hash_header,
        "hash_rows": hash_rows,
        "hash_indent": hash_indent,
    }


def render_html(content: PdfContent) -> str:
    """The HTML the PDF is laid out from (for tests and for looking at it in a browser)."""
    return render_to_string(TEMPLATE, _context(content))


def html_to_pdf(html: str) -> bytes:
    """Lay out `html` as PDF with nothing fetched: no base URL, every URL refused."""
    return HTML(string=html, base_url=None, url_fetcher=RefusingURLFetcher()).write_pdf()


def render_pdf(content: PdfContent) -> bytes:
    """The bundle's `report.pdf` for `content`, as bytes."""
    return html_to_pdf(render_html(content))
