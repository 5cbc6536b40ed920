"""Every shipped catalogue compiles, is complete, keeps its placeholders and tags, matches the
source, and is compiled into the django.mo that Django loads (docs/translation.md).

The completeness checks fail while a language is still being translated: that is their point.
"""

from __future__ import annotations

import re
import shutil

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.i18n import translations_script

tool = translations_script()
LANGUAGES = tool.languages()
FORMAT_FLAGS = {"python-format", "no-python-format", "python-brace-format",
                "no-python-brace-format"}
SHOWN = 8  # entries named in a failure message, at most


def active(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def short(entries, text=lambda e: e.msgid) -> str:
    names = [repr(text(e)[:70]) for e in entries[:SHOWN]]
    more = f" and {len(entries) - SHOWN} more" if len(entries) > SHOWN else ""
    return "; ".join(names) + more


def test_there_is_a_catalogue_for_every_language_of_the_site():
    assert len(LANGUAGES) >= 19
    wanted = {to_locale(code) for code, _name in settings.LANGUAGES if code != "en"}
    assert wanted <= set(LANGUAGES)


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_compiles_with_msgfmt_check(lang, tmp_path):
    done = tool.msgfmt(tool.po_path(lang), tmp_path / "django.mo")
    errors = [line for line in done.stderr.splitlines() if "warning:" not in line]
    assert done.returncode == 0, "\n".join(errors)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_has_no_fuzzy_or_empty_entry(lang):
    entries = active(tool.catalogue(lang))
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    empty = [e for e in entries if not e.translated() and "fuzzy" not in e.flags]
    assert not fuzzy and not empty, (
        f"{lang}: {len(empty)} of {len(entries)} entries empty, {len(fuzzy)} fuzzy "
        f"(scripts/translations.py status; export and import fill them). "
        f"Empty: {short(empty)}. Fuzzy: {short(fuzzy)}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_keeps_placeholders_and_html_tags(lang):
    po = tool.catalogue(lang)
    # A fuzzy entry is not used (msgfmt leaves it out) and the check above already fails on it.
    used = [e for e in active(po) if "fuzzy" not in e.flags]
    found = [f"{e.msgid[:60]!r}: {trouble}" for e in used for trouble in tool.problems(e)]
    # Where a language has one plural form, that form serves every number: it needs the number.
    if tool.nplurals(po) == 1:
        for e in used:
            if e.msgid_plural and e.msgstr_plural.get(0):
                wanted = set(tool.placeholders(e.msgid_plural))
                if not wanted <= set(tool.placeholders(e.msgstr_plural[0])):
                    found.append(f"{e.msgid[:60]!r}: the one plural form lacks {sorted(wanted)}")
    assert not found, f"{lang}:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_is_tidy(lang):
    """Plural forms as the header says and an honest header: `scripts/translations.py tidy`."""
    po = tool.catalogue(lang)
    changes = tool.tidy(po, lang)
    assert not changes, (
        f"{lang}: run `scripts/translations.py tidy {lang}`; it would change: "
        + "; ".join(changes[:SHOWN]) + (" ..." if len(changes) > SHOWN else "")
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_made_from_the_po(lang):
    """Django reads django.mo, never the .po: the committed .mo must say what the .po says."""
    differences = tool.compiled_differences(lang)
    assert not differences, (
        f"{lang}: django.mo does not match django.po ({len(differences)} entries differ, e.g. "
        f"{differences[:3]}): run `scripts/translations.py compile {lang}` and commit both"
    )


def _ids(po: polib.POFile) -> dict:
    return {(e.msgctxt, e.msgid, e.msgid_plural or None): e for e in active(po)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_has_every_text_of_the_source_and_no_other(lang, fresh_catalogue):
    """New or changed text in the source reaches every catalogue (`scripts/translations.py
    update`), with the format flags xgettext gives it."""
    source, ours = _ids(fresh_catalogue), _ids(tool.catalogue(lang))
    missing = [source[k] for k in source.keys() - ours.keys()]
    extra = [ours[k] for k in ours.keys() - source.keys()]
    flags = [source[k] for k in source.keys() & ours.keys()
             if set(source[k].flags) & FORMAT_FLAGS != set(ours[k].flags) & FORMAT_FLAGS]
    assert not missing and not extra and not flags, (
        f"{lang}: run `scripts/translations.py update`. Not in the catalogue: {short(missing)}. "
        f"No longer in the source: {short(extra)}. Format flags differ: {short(flags)}"
    )


PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sdif]")


def test_only_texts_with_placeholders_are_python_format(fresh_catalogue):
    """xgettext takes "83% of" for a placeholder ("% o") and msgfmt then refuses translations
    that write the percentage their own way ("%83"). A text that is never %-formatted and has a
    "%" says so in the source: `# xgettext:no-python-format` on the line before the string."""
    wrong = [e for e in active(fresh_catalogue)
             if "python-format" in e.flags
             and not PLACEHOLDER.search(e.msgid + (e.msgid_plural or ""))]
    assert not wrong, f"Mark these `# xgettext:no-python-format`: {short(wrong)}"


# The tools themselves ---------------------------------------------------------------------------


def _sample(tmp_path, nplurals: int, plural: str) -> polib.POFile:
    text = f'''# SOME DESCRIPTIVE TITLE.
# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: PACKAGE VERSION\\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"
"Language-Team: LANGUAGE <LL@li.org>\\n"
"Language: xx\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals={nplurals}; plural={plural};\\n"

#, python-format
msgid "%(count)d report"
msgid_plural "%(count)d reports"
msgstr[0] "%(count)d laporan"
msgstr[1] "%(count)d laporan"

msgid "Start"
msgstr "Mulai"
'''
    path = tmp_path / "django.po"
    path.write_text(text, encoding="utf-8")
    return polib.pofile(str(path), wrapwidth=0)


def test_tidy_keeps_one_plural_form_where_the_language_has_one(tmp_path):
    po = _sample(tmp_path, 1, "0")
    changes = tool.tidy(po, "id")
    assert changes
    plural = next(e for e in po if e.msgid_plural)
    assert plural.msgstr_plural == {0: "%(count)d laporan"}
    assert next(e for e in po if e.msgid == "Start").msgstr == "Mulai"  # translations untouched
    po.save()
    done = tool.msgfmt(tmp_path / "django.po", tmp_path / "django.mo")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr  # no placeholder header value is left
    assert tool.tidy(polib.pofile(str(tmp_path / "django.po"), wrapwidth=0), "id") == []


def test_tidy_adds_the_forms_a_language_needs_and_writes_an_honest_header(tmp_path):
    po = _sample(tmp_path, 3, "(n==1 ? 0 : n==2 ? 1 : 2)")
    tool.tidy(po, "xx")
    plural = next(e for e in po if e.msgid_plural)
    assert plural.msgstr_plural == {0: "%(count)d laporan", 1: "%(count)d laporan", 2: ""}
    assert po.metadata["Last-Translator"] == "Draft, not yet reviewed by a native speaker"
    assert "not yet reviewed by a native speaker" in po.metadata["Language-Team"]
    assert "not yet reviewed by a native speaker" in po.header
    assert not po.metadata_is_fuzzy


def test_tidy_never_replaces_what_a_translator_wrote(tmp_path):
    po = _sample(tmp_path, 1, "0")
    po.metadata["Last-Translator"] = "Siti Rahma <siti@example.org>"
    tool.tidy(po, "id")
    assert po.metadata["Last-Translator"] == "Siti Rahma <siti@example.org>"
