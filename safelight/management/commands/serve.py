"""`safelight serve`: run the site in gunicorn, with no access log and addresses filtered."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from safelight import server


class Command(BaseCommand):
    help = "Serve Safelight with gunicorn: no access log, no client address in any log line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind: str, workers: int, **options) -> None:
        server.serve(bind=bind, workers=workers)
