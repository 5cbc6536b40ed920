#!/usr/bin/env python3
"""Work on Safelight's gettext catalogues (safelight/locale/<lang>/LC_MESSAGES/django.po).

  scripts/translations.py status                      what each catalogue lacks, and whether
                                                      its django.mo is up to date
  scripts/translations.py export LANG [--size N]      untranslated entries as JSON chunks
                                                      (var/translate/LANG-NNN.json)
  scripts/translations.py import LANG FILE.json ...   put translated chunks into the catalogue
  scripts/translations.py check [LANG ...]            placeholders, HTML tags, plurals
  scripts/translations.py update                      makemessages with the project's options,
                                                      then tidy (docs/translation.md)
  scripts/translations.py tidy [--dry-run] [LANG ...] plural forms as the header says, honest
                                                      headers, no wrapping
  scripts/translations.py compile [LANG ...]          msgfmt --check, writing the django.mo
                                                      Django loads (committed with the .po)

A chunk is a JSON list of {"msgid", "msgid_plural"?, "msgctxt"?, "msgstr"} or, for plurals,
{"msgstr_plural": {"0": ..., "1": ...}}. Import fills only entries that are still empty, never
marks anything fuzzy, and refuses a translation whose placeholders differ from the source.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "safelight" / "locale"
WORK = ROOT / "var" / "translate"
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdrif]|%[sdrif]|\{[a-zA-Z0-9_]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# How the catalogues are extracted (docs/translation.md says why): run from safelight/, for every
# language that has a catalogue. Locations name the file only, so that Weblate and reviewers see
# where a text is used (intake/..., evidence/...) without every edit moving line numbers.
MAKEMESSAGES_OPTIONS = ["--no-wrap", "--add-location=file", "--no-obsolete"]
# What a catalogue says about itself until a native speaker has reviewed it (never claim a
# review that did not happen); a translator who reviews it puts their own name in its place.
DRAFT = "Draft, not yet reviewed by a native speaker"
TEMPLATE_HEADER = {  # makemessages' placeholders, replaced by tidy
    "Project-Id-Version": ("PACKAGE VERSION", "Safelight"),
    "Last-Translator": ("FULL NAME <EMAIL@ADDRESS>", DRAFT),
    "Language-Team": ("LANGUAGE <LL@li.org>", f"None yet ({DRAFT[0].lower()}{DRAFT[1:]})"),
}
TEMPLATE_COMMENT = "SOME DESCRIPTIVE TITLE."
NAMES = {
    "ar": "Arabic", "bn": "Bengali", "de": "German", "es": "Spanish", "fa": "Persian",
    "fil": "Filipino (Tagalog)", "fr": "French", "hi": "Hindi", "id": "Indonesian",
    "it": "Italian", "pl": "Polish", "pt_BR": "Portuguese (Brazil)", "ru": "Russian",
    "sw": "Swahili", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh_Hans": "Chinese (Simplified)",
}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(lang)), wrapwidth=0)


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists())


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def problems(entry: polib.POEntry) -> list[str]:
    found = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    for target in targets:
        if not target:
            continue
        # A plural form may leave out the number (%(count)s) where the language says "one".
        wanted = set(placeholders(entry.msgid_plural or entry.msgid))
        have = set(placeholders(target))
        if have - set().union(*(set(placeholders(s)) for s in sources)):
            found.append(f"unknown placeholder in {target!r}")
        elif not entry.msgid_plural and have != wanted:
            found.append(f"placeholders {sorted(wanted)} != {sorted(have)} in {target!r}")
        if tags(entry.msgid) != tags(target) and not entry.msgid_plural:
            found.append(f"HTML tags differ in {target!r}")
    return found


def cmd_status(_args: argparse.Namespace) -> int:
    for lang in languages():
        po = catalogue(lang)
        active = [e for e in po if not e.obsolete]
        empty = [e for e in active if not e.translated()]
        fuzzy = [e for e in active if "fuzzy" in e.flags]
        compiled = "compiled" if not compiled_differences(lang) else "django.mo out of date"
        print(f"{lang:8} {len(active) - len(empty):5}/{len(active)} translated, "
              f"{len(empty)} empty, {len(fuzzy)} fuzzy, {compiled}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    po = catalogue(args.lang)
    todo = [e for e in po if not e.obsolete and not e.translated()]
    WORK.mkdir(parents=True, exist_ok=True)
    for old in WORK.glob(f"{args.lang}-*.json"):
        old.unlink()
    for start in range(0, len(todo), args.size):
        chunk = []
        for e in todo[start:start + args.size]:
            item = {"msgid": e.msgid}
            if e.msgctxt:
                item["msgctxt"] = e.msgctxt
            if e.msgid_plural:
                item["msgid_plural"] = e.msgid_plural
                item["msgstr_plural"] = {str(k): "" for k in sorted(e.msgstr_plural)}
            else:
                item["msgstr"] = ""
            chunk.append(item)
        path = WORK / f"{args.lang}-{start // args.size:03d}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
        print(path)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    po = catalogue(args.lang)
    index = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    filled = refused = 0
    for name in args.files:
        for item in json.loads(Path(name).read_text(encoding="utf-8")):
            entry = index.get((item.get("msgctxt"), item["msgid"]))
            if entry is None or entry.translated():
                continue
            if entry.msgid_plural:
                forms = {int(k): v for k, v in (item.get("msgstr_plural") or {}).items()}
                if not forms or not all(forms.get(k) for k in entry.msgstr_plural):
                    continue
                entry.msgstr_plural = forms
            else:
                if not item.get("msgstr"):
                    continue
                entry.msgstr = item["msgstr"]
            trouble = problems(entry)
            if trouble:
                refused += 1
                print(f"refused {item['msgid'][:60]!r}: {trouble[0]}", file=sys.stderr)
                entry.msgstr = ""
                if entry.msgid_plural:
                    entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save()
    print(f"{args.lang}: {filled} filled, {refused} refused")
    return 1 if refused else 0


def cmd_check(args: argparse.Namespace) -> int:
    bad = 0
    for lang in args.langs or languages():
        for entry in catalogue(lang):
            if entry.obsolete:
                continue
            for trouble in problems(entry):
                bad += 1
                print(f"{lang}: {entry.msgid[:60]!r}: {trouble}")
    return 1 if bad else 0


# Tidy: what makemessages leaves that msgfmt --check or an honest header would not -------------


def nplurals(po: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def tidy(po: polib.POFile, lang: str, *, now: datetime | None = None) -> list[str]:
    """Normalise one catalogue in memory; returns what was changed (nothing: already tidy).

    * every plural entry has exactly the header's nplurals forms: makemessages writes msgstr[0]
      and msgstr[1] even where nplurals=1 (id, vi, zh_Hans), which msgfmt --check refuses; a
      missing form is added empty (so the empty-entry check finds it);
    * makemessages' placeholder header values become honest ones (TEMPLATE_HEADER): a draft says
      it is a draft; values someone has written are never touched;
    * the header is no longer marked fuzzy once it is filled in.
    Translations themselves are never changed. Saving with wrapwidth=0 keeps lines unwrapped.
    """
    changes: list[str] = []
    count = nplurals(po)
    for entry in po:
        if entry.obsolete or not entry.msgid_plural:
            continue
        forms = {int(k): v for k, v in entry.msgstr_plural.items()}
        wanted = {k: forms.get(k, "") for k in range(count)}
        if wanted != forms:
            changes.append(f"plural forms {sorted(forms)} -> {sorted(wanted)}: "
                           f"{entry.msgid[:50]!r}")
            entry.msgstr_plural = wanted
    for field, (placeholder, honest) in TEMPLATE_HEADER.items():
        if po.metadata.get(field, placeholder) == placeholder:
            po.metadata[field] = honest
            changes.append(f"header {field}: {honest}")
    if po.metadata.get("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE") == "YEAR-MO-DA HO:MI+ZONE":
        stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M+0000")
        po.metadata["PO-Revision-Date"] = stamp
        changes.append(f"header PO-Revision-Date: {stamp}")
    if po.metadata.get("Language") != lang:
        po.metadata["Language"] = lang
        changes.append(f"header Language: {lang}")
    if TEMPLATE_COMMENT in (po.header or ""):
        po.header = (
            f"Safelight: the {NAMES.get(lang, lang)} catalogue.\n"
            f"{DRAFT} (docs/translation.md).\n"
            "This file is distributed under the same licence as Safelight (AGPL-3.0-or-later)."
        )
        changes.append("header comment")
    if po.metadata_is_fuzzy:
        po.metadata_is_fuzzy = []
        changes.append("header no longer fuzzy")
    return changes


def cmd_tidy(args: argparse.Namespace) -> int:
    for lang in args.langs or languages():
        po = catalogue(lang)
        changes = tidy(po, lang)
        if changes and not args.dry_run:
            po.save()
        verb = "would change" if args.dry_run else "changed"
        print(f"{lang}: {verb} {len(changes)}" if changes else f"{lang}: tidy")
        for change in changes:
            print(f"  {change}")
    return 0


# Update and compile -----------------------------------------------------------------------------


def makemessages(source: Path, languages: list[str] | None = None) -> None:
    """Run Django's makemessages over `source` (a copy of safelight/ or safelight/ itself), with
    the project's options, for `languages` (default: every catalogue there is). No settings are
    loaded: makemessages configures Django itself, so no data directory or secret is needed."""
    chosen = ["--all"] if languages is None else [f"--locale={lang}" for lang in languages]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(  # noqa: S603 - our own interpreter and Django's command, no shell
        [sys.executable, "-m", "django", "makemessages", *chosen, *MAKEMESSAGES_OPTIONS,
         "--verbosity=0"],
        cwd=source, env=env, check=True,
    )


def cmd_update(_args: argparse.Namespace) -> int:
    makemessages(ROOT / "safelight")
    return cmd_tidy(argparse.Namespace(langs=[], dry_run=False))


def msgfmt(po: Path, mo: Path | str) -> subprocess.CompletedProcess:
    """msgfmt --check: formats, plural forms and header, as Django's compilemessages checks."""
    return subprocess.run(  # noqa: S603 - gettext's msgfmt on our own files, no shell
        ["msgfmt", "--check", "-o", str(mo), str(po)],  # noqa: S607 - found on PATH, as Django does
        capture_output=True, text=True)


def compiled_differences(lang: str) -> list[str]:
    """How the committed django.mo differs from what msgfmt makes of django.po (nothing: it is
    up to date). Compared by content, not by date: a checkout gives both files its own time."""
    import gettext

    po_file = po_path(lang)
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.exists():
        return ["no django.mo"]
    with open(mo_file, "rb") as handle:
        compiled = {k: v for k, v in gettext.GNUTranslations(handle)._catalog.items() if k != ""}
    expected: dict = {}
    for e in catalogue(lang):
        if e.obsolete or "fuzzy" in e.flags or not e.translated():
            continue  # msgfmt leaves these out
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural:
            for index, form in e.msgstr_plural.items():
                expected[(key, int(index))] = form
        else:
            expected[key] = e.msgstr
    differ = compiled.keys() ^ expected.keys()
    differ |= {k for k in compiled.keys() & expected.keys() if compiled[k] != expected[k]}
    return sorted(str(k)[:60] for k in differ)


def cmd_compile(args: argparse.Namespace) -> int:
    failed = 0
    for lang in args.langs or languages():
        po = po_path(lang)
        done = msgfmt(po, po.with_suffix(".mo"))
        errors = [line for line in done.stderr.splitlines() if "warning:" not in line]
        if done.returncode:
            failed += 1
            print(f"{lang}: not compiled", file=sys.stderr)
            for line in errors:
                print(f"  {line}", file=sys.stderr)
        else:
            print(f"{lang}: {po.with_suffix('.mo').relative_to(ROOT)}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status").set_defaults(run=cmd_status)
    export = sub.add_parser("export")
    export.add_argument("lang")
    export.add_argument("--size", type=int, default=120)
    export.set_defaults(run=cmd_export)
    imp = sub.add_parser("import")
    imp.add_argument("lang")
    imp.add_argument("files", nargs="+")
    imp.set_defaults(run=cmd_import)
    check = sub.add_parser("check")
    check.add_argument("langs", nargs="*")
    check.set_defaults(run=cmd_check)
    sub.add_parser("update").set_defaults(run=cmd_update)
    tidy_parser = sub.add_parser("tidy")
    tidy_parser.add_argument("--dry-run", action="store_true", help="say what would change")
    tidy_parser.add_argument("langs", nargs="*")
    tidy_parser.set_defaults(run=cmd_tidy)
    compile_parser = sub.add_parser("compile")
    compile_parser.add_argument("langs", nargs="*")
    compile_parser.set_defaults(run=cmd_compile)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
