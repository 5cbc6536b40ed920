"""`safelight worker`: run background tasks with the worker that the configured backend needs.

The database backend (default): django-tasks-db's `db_worker`. Redis (SAFELIGHT_TASKS_URL):
django-rq's `rqworker` with django-tasks-rq's job class. `--tick-every SECONDS` also queues the
periodic run at that interval, for installations without cron or a timer (the demo uses it).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

from safelight.tasks import periodic

logger = logging.getLogger(__name__)

DB_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
RQ_JOB_CLASS = "django_tasks_rq.Job"


class Command(BaseCommand):
    help = "Run background tasks (notifications, reminders) with the configured backend's worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop"
        )
        parser.add_argument(
            "--tick-every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="also queue the periodic run every SECONDS (instead of cron or a timer)",
        )

    def handle(self, *args, batch: bool, tick_every: int, **options) -> None:
        backend = settings.TASKS[DEFAULT_TASK_BACKEND_ALIAS]
        queues = list(backend.get("QUEUES") or ["default"])
        if tick_every < 0:
            raise CommandError("--tick-every takes a number of seconds, or 0 for none.")
        if tick_every:
            Ticker(tick_every).start()
        verbosity = options.get("verbosity", 1)
        if backend["BACKEND"] == DB_BACKEND:
            call_command(
                "db_worker",
                queue_name=",".join(queues),
                batch=batch,
                startup_delay=not batch,
                reload=False,
                verbosity=verbosity,
            )
        elif backend["BACKEND"] == RQ_BACKEND:
            call_command(
                "rqworker",
                *queues,
                job_class=RQ_JOB_CLASS,
                burst=batch,
                with_scheduler=not batch,
                verbosity=verbosity,
            )
        else:
            raise CommandError(
                f"No worker for the task backend {backend['BACKEND']}: it runs tasks itself."
            )


class Ticker(threading.Thread):
    """Queues `periodic` at once and then every `seconds`, until stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(name="safelight-tick", daemon=True)
        self.seconds = seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                periodic.enqueue()
            except Exception:
                logger.exception("Could not queue the periodic run")
            finally:
                connections.close_all()  # this thread's connections only
            self.stopped.wait(self.seconds)

    def stop(self) -> None:
        self.stopped.set()
        self.join()
