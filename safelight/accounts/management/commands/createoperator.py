"""`safelight createoperator`: a platform operator, who manages organisations and handles none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from safelight.accounts.actions import create_operator
from safelight.accounts.management.commands.createhandler import Command as CreateHandler


class Command(CreateHandler):
    help = (
        "Create a platform operator: signs in with a password and an authenticator app, manages "
        "every organisation in the administration, but is no handler: no key pair, no report. "
        "The password is asked for twice, or read from standard input when it is not a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options) -> None:  # type: ignore[override]
        password = self._read_password()
        try:
            user = create_operator(username=username, password=password, email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Created platform operator {user.get_username()}.")
