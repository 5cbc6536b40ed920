"""`safelight referrals_import FILE --organisation SLUG`: import an Open Referral HSDS file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelight.accounts.models import Organisation
from safelight.referrals.actions import import_hsds


class Command(BaseCommand):
    help = (
        "Import services into an organisation's referrals directory from an Open Referral HSDS "
        "file: JSON, or a zip of CSV tables with datapackage.json. Entries are matched on their "
        "id: existing ones are updated, new ones added. Items with problems are listed and left "
        "out; the exit status is 1 when any was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--organisation", required=True, help="the organisation's address (slug)"
        )
        parser.add_argument(
            "--format", choices=["auto", "json", "csv"], default="auto",
            help="auto (default): a zip is CSV, anything else JSON",
        )

    def handle(self, *args, file: str, organisation: str, format: str, **options) -> None:
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the address {organisation!r}.") from None
        try:
            with open(file, "rb") as stream:
                result = import_hsds(organisation=org, file=stream, format=format)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        if result.file_error:
            raise CommandError(f"Nothing imported: {result.file_error}")
        self.stdout.write(
            f"Imported {len(result.imported)} entries into {org.name}: "
            f"{result.created} added, {result.updated} updated."
        )
        for note in result.notes:
            self.stdout.write(f"  note: {note.ref}: {note.reason}")
        if result.skipped:
            self.stderr.write(f"Left out {len(result.skipped)}:")
            for item in result.skipped:
                self.stderr.write(f"  {item.ref}: {item.reason}")
            raise SystemExit(1)
