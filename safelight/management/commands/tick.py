"""`safelight tick`: the periodic run (reminders, check-ins, clean-up), for cron or a timer.

By default it queues the `periodic` task for the worker and returns at once; `--now` runs it in
this process instead and waits. docs/operations.md has the cron line and a systemd timer.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from safelight.tasks import periodic


class Command(BaseCommand):
    help = "Queue the periodic run (reminders, check-ins, clean-up); --now runs it here."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="run it in this process instead of queueing it"
        )

    def handle(self, *args, now: bool, **options) -> None:
        if not now:
            result = periodic.enqueue()
            self.stdout.write(f"queued periodic run {result.id}")
            return
        counts = periodic.call()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
