"""The bundle's PDF in every language Safelight speaks: each script drawn from a font that has it
(none as the .notdef box), right-to-left text laid out right to left, and the PDF's own words in
the language of the person who makes it.

The fonts are Debian's (scripts/install-system-packages runtime installs them); without them
these tests fail, saying so.
"""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import zipfile
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.utils import translation

from safelight.evidence import actions, bundle_pdf
from safelight.evidence.bundle_content import PdfIncident, PdfMessage
from safelight.evidence.bundle_pdf import render_html, render_pdf
from tests.evidence.conftest import INCIDENT
from tests.evidence.pdf_factory import pdf_content, sha

INSTALL = "run `scripts/install-system-packages runtime` (Debian's fonts-noto-core, fonts-noto-cjk)"

# A sentence in each of the 20 languages as a survivor might write it, an Arabic one with an
# English handle inside (the handle must stay whole, the sentence right to left), and names.
_FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "twenty_languages.json").read_text())
SAMPLES: dict[str, str] = _FIXTURE["sentences"]
MIXED: str = _FIXTURE["mixed"]
NAMES: dict[str, str] = _FIXTURE["names"]

# The family each script must be drawn from (a PDF's BaseFont is the family without spaces,
# after a subset tag): fontconfig would otherwise find *some* font, and the test would not know.
SCRIPTS = {
    "Arabic": ("\u0600", "\u06ff", ("Noto-Naskh-Arabic", "Noto-Nastaliq-Urdu")),
    "Devanagari": ("\u0900", "\u097f", ("Noto-Sans-Devanagari",)),
    "Bengali": ("\u0980", "\u09ff", ("Noto-Sans-Bengali",)),
    "Han": ("\u4e00", "\u9fff", ("Noto-Sans-CJK-SC", "Noto-Sans-Mono-CJK-SC")),
    "Cyrillic": ("\u0400", "\u04ff", ("Noto-Sans",)),
    "Vietnamese": ("\u1ea0", "\u1eff", ("Noto-Sans",)),
}


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def sample_content():
    """A bundle whose incident and messages hold every language's sentence."""
    messages = [
        PdfMessage(
            sent_at=f"4 March 2026, 07:{number:02d}",
            sender=NAMES.get(code, "Sam"),
            text=text,
            source=f"WhatsApp export chat.txt, line {number + 1}",
            categories=["threat"] if code in ("ur", "bn", "zh-hans") else [],
            sha256=sha(f"sample {code}"),
        )
        for number, (code, text) in enumerate(SAMPLES.items())
    ]
    messages.append(PdfMessage("4 March 2026, 08:00", "@dm_kestrel_88", MIXED,
                               "Instagram messages, message 9", [], sha("mixed")))
    incident = PdfIncident(
        title=SAMPLES["ar"], when="3 March 2026", kind="", platform="Instagram",
        who=f"{NAMES['zh-hans']} / {NAMES['hi']}", what=SAMPLES["ur"], impact=SAMPLES["bn"],
        notes=SAMPLES["vi"], files=[("তথ্য-প্রমাণ.png", sha("bn file"))], versions=1,
        sha256=sha("incident"),
    )
    return pdf_content(incidents=[incident], messages=messages)


def fonts_by_char(pdf: bytes) -> dict[str, set[str]]:
    """Each character the PDF draws, with the families (subset tags dropped) that draw it: read
    from every font's ToUnicode map on every page."""
    found: dict[str, set[str]] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            family = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            family = re.sub(r"-(Bold|Italic|BoldItalic|Oblique|BoldOblique)$", "", family)
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for hexes in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]*)>", cmap):
                text = bytes.fromhex(hexes).decode("utf-16-be") if hexes else ""
                for char in text:
                    found.setdefault(char, set()).add(family)
    return found


def render_logged(content, caplog) -> bytes:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(content)
    missing = [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert not missing, f"glyphs missing from every installed font: {missing}; {INSTALL}"
    return pdf


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.fixture(scope="module")
def english_pdf():
    with translation.override("en"):
        return render_pdf(sample_content())


def test_the_fonts_are_installed():
    """Fontconfig knows every family the PDF names (else Pango quietly takes another)."""
    import subprocess

    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                              check=True).stdout
    known = {name.strip() for line in families.splitlines() for name in line.split(",")}
    wanted = {bundle_pdf.LATIN, bundle_pdf.ARABIC, bundle_pdf.NASTALIQ, bundle_pdf.CJK,
              bundle_pdf.MONO, bundle_pdf.CJK_MONO, *bundle_pdf.SCRIPTS}
    assert wanted <= known, f"fonts missing: {sorted(wanted - known)}; {INSTALL}"


def test_every_script_comes_from_a_font_made_for_it(english_pdf, caplog):
    render_logged(sample_content(), caplog)  # no .notdef box anywhere
    drawn = fonts_by_char(english_pdf)
    for script, (low, high, families) in SCRIPTS.items():
        chars = {c for text in (*SAMPLES.values(), MIXED, *NAMES.values()) for c in text
                 if low <= c <= high}
        assert chars, script
        for char in chars:
            assert char in drawn, f"{script} {char!r} (U+{ord(char):04X}) not drawn; {INSTALL}"
            assert drawn[char] & set(families), (
                f"{script} {char!r} drawn with {drawn[char]}, not {families}; {INSTALL}")


def test_every_sentence_comes_back_out_of_the_pdf(english_pdf):
    text = squeeze(text_of(english_pdf))
    # Scripts whose letters a PDF reader gets back in order. Devanagari and Bengali vowel signs
    # drawn before their consonant, and Arabic joined forms, are read out of order by pypdf: for
    # those the fonts test above shows every letter is drawn from the right font.
    for code in ("en", "es", "fr", "pt-br", "sw", "id", "fil", "tr", "ru", "uk", "pl", "de",
                 "it", "vi", "zh-hans"):
        assert squeeze(SAMPLES[code]) in text, code
    assert "@dm_kestrel_88" in text


def test_right_to_left_text_is_marked_so():
    with translation.override("en"):
        html = render_html(sample_content())
    assert '<html lang="en" dir="ltr">' in html
    assert f'dir="rtl">{MIXED}' in html  # a text that starts in Arabic reads right to left
    for code in ("ar", "fa", "ur"):
        assert f'dir="rtl">{SAMPLES[code]}' in html, code
    assert f'dir="ltr">{SAMPLES["hi"]}' in html
    assert f'dir="rtl">{NAMES["ar"]}</td>' in html  # names too
    assert 'dir="ltr">4 March 2026, 07:00</span>' in html  # a date keeps its order
    assert '<span class="said" dir="ltr">তথ্য-প্রমাণ.png</span>' in html


@pytest.mark.parametrize("code", ["ar", "fa", "ur"])
def test_a_pdf_in_a_right_to_left_language_is_laid_out_right_to_left(code):
    with translation.override(code):
        html = render_html(sample_content())
    assert f'<html lang="{code}" dir="rtl">' in html
    assert "@top-right {" in html and "@bottom-left {" in html
    assert '<div class="hashes" dir="ltr">' in html  # hashes read left to right everywhere


def test_urdu_is_set_in_nastaliq_when_the_pdf_is_in_urdu():
    assert bundle_pdf.font_stack("ur").index(bundle_pdf.NASTALIQ) < (
        bundle_pdf.font_stack("ur").index(bundle_pdf.ARABIC))
    assert bundle_pdf.NASTALIQ not in bundle_pdf.font_stack("ar")
    # DejaVu Sans has some Arabic letters but not Urdu's: it must never come before the Arabic
    # fonts, or one word would be drawn from two fonts and lose its joining.
    for code in languages():
        stack = bundle_pdf.font_stack(code)
        assert stack.index(bundle_pdf.ARABIC) < stack.index('"DejaVu Sans"'), code


@pytest.mark.parametrize("code", languages())
def test_the_pdf_in_each_language_draws_all_its_words(code, caplog):
    """The PDF's own words (headings, labels, explanations) in each of the languages, with no
    missing glyph."""
    content = sample_content()
    with translation.override(code):
        pdf = render_logged(content, caplog)
        heading = translation.gettext("Evidence bundle")
    if code in ("ur",):
        assert "Noto-Nastaliq-Urdu" in {f for fams in fonts_by_char(pdf).values() for f in fams}
    if code in ("en", "es", "fr", "sw", "id", "fil", "tr", "ru", "uk", "pl", "de", "it", "vi",
                "zh-hans", "pt-br"):  # scripts pypdf reads back in order (see above)
        assert squeeze(heading) in squeeze(text_of(pdf)), code


def test_the_hash_list_lines_up_with_a_tab_whatever_the_kind_is_called():
    items = [("items/incidents/0001-v1.json", "incident", sha("a")),
             ("items/messages/000001.bin", "message", sha("b"))]
    header, rows, stop = bundle_pdf._hash_lines(
        items, {"incident": "واقعہ", "message": "消息"}, cell_px=5.0)
    assert rows[0] == f"{sha('a')}  واقعہ\titems/incidents/0001-v1.json"
    assert rows[1] == f"{sha('b')}  消息\titems/messages/000001.bin"
    assert header.startswith("SHA-256" + " " * 59) and header.count("\t") == 1
    # The stop is past the hash and the widest kind (Han two characters, Arabic one and a half).
    assert bundle_pdf._cells("消息") == 4
    assert bundle_pdf._cells("واقعہ") == 7.5
    assert stop >= (66 + 7.5 + 2) * 5.0


def test_the_pdf_is_in_spanish_when_made_in_spanish():
    with translation.override("es"):
        pdf = render_pdf(pdf_content())
    cover = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Paquete de pruebas" in cover, (
        "the Spanish catalogue is not compiled: cd safelight && "
        "../.venv/bin/django-admin compilemessages -l es")
    assert "Cómo comprobar este paquete" in cover
    assert "Página 1 de" in cover
    assert "Contenido" in cover
    assert "Evidence bundle" not in cover


@pytest.mark.django_db
def test_a_bundle_downloaded_in_spanish_has_its_pdf_in_spanish(locker, locker_client, settings,
                                                               tmp_path):
    """The PDF is made while the request is answered, in the request's language."""
    settings.MEDIA_ROOT = tmp_path / "files"
    incident = actions.save_incident(opened=locker[0], content=INCIDENT, files=[])
    response = locker_client.post("/locker/export/", {"incidents": [str(incident.pk)]},
                                  HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, response.content[:500]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        pdf = bundle.read("report.pdf")
    cover = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Paquete de pruebas" in cover
