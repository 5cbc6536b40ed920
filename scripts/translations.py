#!/usr/bin/env python3
"""Work on Safelight's gettext catalogues (safelight/locale/<lang>/LC_MESSAGES/django.po).

  scripts/translations.py status                      what each catalogue lacks
  scripts/translations.py export LANG [--size N]      untranslated entries as JSON chunks
                                                      (var/translate/LANG-NNN.json)
  scripts/translations.py import LANG FILE.json ...   put translated chunks into the catalogue
  scripts/translations.py check [LANG ...]            placeholders, HTML tags, plurals

A chunk is a JSON list of {"msgid", "msgid_plural"?, "msgctxt"?, "msgstr"} or, for plurals,
{"msgstr_plural": {"0": ..., "1": ...}}. Import fills only entries that are still empty, never
marks anything fuzzy, and refuses a translation whose placeholders differ from the source.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "safelight" / "locale"
WORK = ROOT / "var" / "translate"
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdrif]|%[sdrif]|\{[a-zA-Z0-9_]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"), wrapwidth=0)


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
        print(f"{lang:8} {len(active) - len(empty):5}/{len(active)} translated, "
              f"{len(empty)} empty, {len(fuzzy)} fuzzy")
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
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
