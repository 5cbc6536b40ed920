"""Background tasks, through Django's Tasks API (the django-tasks backport).

The backend is settings.TASKS: the database (django-tasks-db) by default, Redis (django-tasks-rq)
when SAFELIGHT_TASKS_URL is set. `safelight worker` runs the tasks, `safelight tick` queues the
periodic run (docs/operations.md).

A task's arguments are stored in the clear by every backend (a table row, a Redis job), so they
are ids and nothing else: never anything a reporter wrote. Return values are small counts.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.base import Task

from safelight import notifications

# Finished task rows of the database backend are deleted after this long: they say which report
# had a notification when, which the audit log keeps anyway.
TASK_RESULTS_KEPT = datetime.timedelta(days=7)


@task()
def notify_urgent_task(report_id: str) -> int:
    return notifications.notify_urgent(report_id)


@task()
def notify_reopened_task(report_id: str) -> int:
    return notifications.notify_reopened(report_id)


@task()
def notify_new_report_task(report_id: str) -> int:
    return notifications.notify_new_report(report_id)


@task()
def notify_new_message_task(message_id: str) -> int:
    return notifications.notify_new_message(message_id)


@task()
def notify_escrow_match_task(match_id: int) -> int:
    from safelight.escrow.notifications import notify_match

    return notify_match(match_id)


@task()
def periodic() -> dict[str, int]:
    """What runs every few minutes (`safelight tick`): housekeeping and reminders. Counts only."""
    # Imported here: action modules queue tasks from this module, so it must not import them first.
    from safelight.cases.checkins import open_due_checkins
    from safelight.cases.reminders import send_reminders
    from safelight.intake.actions import purge_expired_drafts, remove_orphaned_files
    from safelight.intake.session_actions import purge_expired_reporter_sessions

    return {
        "drafts_purged": purge_expired_drafts(),
        "checkins_opened": open_due_checkins(),
        "reminders_sent": send_reminders(),
        "task_results_pruned": prune_task_results(),
        "reporter_sessions_purged": purge_expired_reporter_sessions(),
        "orphaned_files_removed": remove_orphaned_files(),
    }


def prune_task_results(now: datetime.datetime | None = None) -> int:
    """Delete the database backend's finished task rows older than TASK_RESULTS_KEPT."""
    from django_tasks_db import DatabaseBackend

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return 0  # RQ expires its own results
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - TASK_RESULTS_KEPT
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(backend_name=backend.alias, finished_at__lte=cutoff)
        .delete()
    )
    return deleted


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one).

    Arguments must be ids: strings, numbers or UUIDs (given as their string). A queue that
    cannot be reached after the commit is logged and does not undo or fail what was committed.
    """
    values = []
    for arg in args:
        if isinstance(arg, uuid.UUID):
            arg = str(arg)
        if isinstance(arg, bool) or not isinstance(arg, str | int):
            raise TypeError("Task arguments are ids (str or int), never objects or content.")
        values.append(arg)
    transaction.on_commit(lambda: task.enqueue(*values), robust=True)
