"""The evidence bundle's `report.pdf`: the account a police officer or court clerk reads.

`render_pdf(content)` renders `templates/evidence/bundle_pdf.html` with Django's template engine
(autoescape on: whatever a survivor wrote prints as text, never as markup) and lays it out with
WeasyPrint. The renderer reads nothing from the network or the disk: its URL fetcher refuses every
URL, the CSS is inline in the template, there are no images, and survivors' URLs are printed as
text. Fonts come from the system through fontconfig: DejaVu Sans (Debian's fonts-dejavu-core,
installed by scripts/install-system-packages runtime), with the generic sans-serif as fallback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from safelight.triage.severity import category_labels

from .bundle import key_fingerprint
from .bundle_content import CATEGORIES, PdfContent, PdfIncident, PdfMessage

__all__ = ["RefusingURLFetcher", "render_pdf"]

TEMPLATE = "evidence/bundle_pdf.html"
SHORT_ID = 8  # characters of the locker id in the running header
SHORT_HASH = 16  # hex digits of a message's SHA-256 shown in large type


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
    items: list[tuple[str, str, str]], kinds: dict[str, str]
) -> tuple[str, list[str], int]:
    """The hash list as monospace lines "SHA-256  kind  member" (a header and one per item), and
    where a wrapped member's next line starts (in characters). SHA-256 first: its fixed width
    lines the columns up."""
    labels = [kinds.get(kind, kind) for _member, kind, _sha in items]
    kind_label = _("Kind")
    kind_width = max([len(kind_label), *map(len, labels)]) + 2
    sha_width = max([64, *(len(sha) for _m, _k, sha in items)]) + 2
    header = f"{_('SHA-256'):<{sha_width}}{kind_label:<{kind_width}}{_('File in the ZIP')}"
    lines = [
        f"{sha:<{sha_width}}{label:<{kind_width}}{member}"
        for (member, _kind, sha), label in zip(items, labels, strict=True)
    ]
    return header, lines, sha_width + kind_width


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


@dataclass
class _ShownMessage:
    message: PdfMessage
    dir: str  # of its text
    short_hash: str = ""
    also: list[str] = field(default_factory=list)  # labels of its other flagged categories


@dataclass
class _ShownIncident:
    incident: PdfIncident
    dirs: dict[str, str]  # field name -> direction of its text
    edits: int  # versions - 1


def _shown_incident(incident: PdfIncident) -> _ShownIncident:
    fields = ("title", "platform", "who", "what", "impact", "notes")
    return _ShownIncident(
        incident=incident,
        dirs={name: _direction(getattr(incident, name)) for name in fields},
        edits=max(incident.versions - 1, 0),
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
            _ShownMessage(
                message=message,
                dir=_direction(message.text),
                short_hash=message.sha256[:SHORT_HASH],
                also=[labels.get(k, k) for k in others],
            )
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
    hash_header, hash_rows, hash_indent = _hash_lines(content.items, kinds)
    return {
        "content": content,
        "short_id": short_id,
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
        "plain_messages": [_ShownMessage(message=m, dir=_direction(m.text)) for m in plain],
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
