"""`safelight techcheck_load_indicators PATH [PATH ...]`: load a newer copy of the indicators.

Reads Echap's YAML (ioc.yaml, watchware.yaml for monitoring apps, samples.csv for APK hashes)
or a STIX 2.1 bundle
(Echap's generated/stalkerware.stix2) from files on this machine, and records the set with its
version and date. Nothing is fetched: download the files yourself and check them first.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelight.techcheck import indicators as ind
from safelight.techcheck.actions import load_indicator_set


class Command(BaseCommand):
    help = (
        "Load a newer copy of the stalkerware indicators from files: Echap's ioc.yaml "
        "(and watchware.yaml, samples.csv), or a STIX 2.1 bundle such as Echap's "
        "stalkerware.stix2. The set is used from now on, and its version and date are shown "
        "with every result. Problems are listed; the exit status is 1 when any value was left "
        "out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--set-version", dest="set_version",
                            help="the data's version, such as Echap's commit (default: the "
                                 "first 12 digits of the files' SHA-256)")
        parser.add_argument("--date", help="the data's date, YYYY-MM-DD (default: the newest "
                                           "'modified' of a STIX bundle, else today)")
        parser.add_argument("--name", default="Echap stalkerware-indicators")
        parser.add_argument("--source",
                            default="https://github.com/AssoEchap/stalkerware-indicators")
        parser.add_argument("--attribution", default=ind.ECHAP_ATTRIBUTION)

    def handle(self, *args, paths: list[str], set_version: str | None, date: str | None,
               name: str, source: str, attribution: str, **options) -> None:
        published = None
        if date:
            try:
                published = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date such as 2026-06-21.") from None
        digest = hashlib.sha256()
        contents = []
        for path in paths:
            try:
                with open(path, "rb") as stream:
                    data = stream.read(ind.MAX_INDICATOR_BYTES + 1)
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
            digest.update(data)
            contents.append((Path(path).name, data))
        result = ind.Indicators(name=name, version=set_version or digest.hexdigest()[:12],
                                date="", source=source, attribution=attribution)
        problems: list[str] = []
        # Samples name their family: read them after the YAML that defines the families.
        contents.sort(key=lambda item: ind.looks_like_samples(item[1]))
        for label, data in contents:
            if ind.looks_like_samples(data):
                problems += ind.read_echap_samples(data, result, label=label)
            elif ind.looks_like_stix(data):
                problems += ind.read_stix_bundle(data, result, label=label)
                published = published or _stix_date(data)
            else:
                kind = ind.WATCHWARE if "watchware" in label.lower() else ind.STALKERWARE
                problems += ind.read_echap_yaml(data, result, default_kind=kind, label=label)
        counts = result.counts()
        if not result.packages and not result.certificates and not result.domains:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError("Nothing loaded: no package name, certificate or domain was "
                               "found in the files. The indicators in force are unchanged.")
        published = published or datetime.date.today()
        row = load_indicator_set(indicators=result, published=published)
        self.stdout.write(
            f"Loaded {row.name} version {row.version} of {published.isoformat()}: "
            f"{counts['families']} apps, {counts['packages']} package names, "
            f"{counts['certificates']} certificates, {counts['domains']} domains, "
            f"{counts['ips']} addresses, {counts['file_hashes']} file hashes."
        )
        if problems:
            self.stderr.write("Problems:")
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1)


def _stix_date(data: bytes) -> datetime.date | None:
    try:
        bundle = json.loads(data)
        stamps: list[str] = [obj["modified"] for obj in bundle.get("objects", [])
                             if isinstance(obj, dict) and isinstance(obj.get("modified"), str)]
        return datetime.date.fromisoformat(max(stamps)[:10]) if stamps else None
    except (ValueError, AttributeError, TypeError, RecursionError):
        return None
