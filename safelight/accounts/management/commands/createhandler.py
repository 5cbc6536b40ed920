"""`safelight createhandler`: add a handler account to an organisation."""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelight.accounts.actions import create_handler
from safelight.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Create a handler account in an organisation. The password is asked for twice, or read "
        "from standard input (one line) when it is not a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", required=True, help="the organisation's address (slug)"
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--administrator",
            action="store_true",
            help="also allow the staff administration (organisations, handlers, audit log)",
        )

    def handle(
        self, *args, username: str, organisation: str, email: str, administrator: bool, **options
    ) -> None:
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the address {organisation!r}.") from None
        password = self._read_password()
        try:
            handler = create_handler(
                organisation=org,
                username=username,
                password=password,
                email=email,
                administrator=administrator,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Created handler {handler.user.get_username()} in {org.name}.")

    def _read_password(self) -> str:
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("No password on standard input.")
            return password
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
