"""`safelight referrals_export --organisation SLUG --format json|csv -o FILE`."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelight.accounts.models import Organisation
from safelight.referrals.exports import FORMATS, export_file


class Command(BaseCommand):
    help = (
        "Export an organisation's referrals directory as Open Referral HSDS: one JSON document, "
        "or a zip of CSV tables with datapackage.json. Every entry, listed or not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", required=True, help="the organisation's address (slug)"
        )
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "-o", "--output", required=True, help="the file to write; “-” for standard output"
        )

    def handle(self, *args, organisation: str, format: str, output: str, **options) -> None:
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the address {organisation!r}.") from None
        export = export_file(org, format)
        if output == "-":
            sys.stdout.buffer.write(export.content)
            sys.stdout.buffer.flush()
            return
        try:
            with open(output, "wb") as stream:
                stream.write(export.content)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from None
        count = org.services.count()
        self.stderr.write(f"Exported {count} entries of {org.name} to {output}.")
