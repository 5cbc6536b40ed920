"""`safelight demo`: migrate, seed demo data and serve the site on 127.0.0.1:8000.

Beside the web server it runs `safelight worker --tick-every 300` as a child process, so that
notifications and daily reminders flow in the demo as they would in production (written to
files under the data directory unless SAFELIGHT_EMAIL_URL says otherwise).
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safelight import demo, server


class Command(BaseCommand):
    help = "Set up a demo (SQLite, demo data) and serve it. Running it again is safe."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="set up and seed, then stop")

    def handle(self, *args, bind: str, workers: int, no_serve: bool, **options) -> None:
        if os.environ.get("DATABASE_URL"):
            raise CommandError(
                "DATABASE_URL is set. The demo seeds made-up data and must not touch a real "
                "database: unset DATABASE_URL to run it on its own SQLite file."
            )
        call_command("migrate", interactive=False, verbosity=0)
        organisation = demo.seed()
        self.stdout.write(self.style.SUCCESS("Safelight demo is ready."))
        self.stdout.write(f"  data directory: {settings.SAFELIGHT_DATA_DIR}")
        base = f"http://{bind}"
        if "reporter" in settings.SAFELIGHT_INTERFACES:
            self.stdout.write(f"  Reporter side:  {base}/{organisation.slug}/")
        if "staff" in settings.SAFELIGHT_INTERFACES:
            names = [account.username for account in demo.DEMO_ACCOUNTS]
            accounts = ", ".join(names[:-1]) + " or " + names[-1]
            self.stdout.write(f"  Staff side:     {base}/staff/")
            self.stdout.write(f"    sign in as {accounts}; password: {demo.DEMO_PASSWORD}")
            self.stdout.write(
                "    second step: scan the code shown at first sign-in with an authenticator "
                "app, or run `.venv/bin/safelight democode <username>` for the current code"
            )
        if no_serve:
            return
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(
                f"  Notifications:  emails are written to {settings.EMAIL_FILE_PATH}; "
                "deadlines are checked every 5 minutes"
            )
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()
        worker = start_worker(bind)
        owner = os.getpid()
        try:
            server.serve(bind=bind, workers=workers)
        finally:
            # gunicorn's forked workers unwind through here too: only the parent stops the child.
            if os.getpid() == owner:
                stop_worker(worker)


TICK_SECONDS = 300


def start_worker(bind: str) -> subprocess.Popen:
    """The background worker of the demo, queueing the periodic run every TICK_SECONDS."""
    env = {
        **os.environ,
        "SAFELIGHT_MODE": "demo",
        "SAFELIGHT_DATA_DIR": str(settings.SAFELIGHT_DATA_DIR),
    }
    env.setdefault("SAFELIGHT_STAFF_URL", f"http://{bind}")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command, no shell
        [sys.executable, "-m", "safelight.cli", "worker", f"--tick-every={TICK_SECONDS}"],
        env=env,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
