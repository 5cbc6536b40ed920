"""Background tasks, through Django's Tasks API (the django-tasks backport): the infrastructure.

The backend is settings.TASKS: the database (django-tasks-db) by default, Redis (django-tasks-rq)
when SAFELIGHT_TASKS_URL is set. `safelight worker` runs the tasks, `safelight tick` queues the
periodic run (docs/operations.md).

This module knows no app. Each app declares its own work in its `jobs` module (for example
`safelight/intake/jobs.py`): periodic jobs with `@periodic_job`, background tasks with django-tasks'
`@task()`. The project's app config imports every such module when Django starts
(safelight/apps.py), so the worker, `safelight tick` and the tests all see the same jobs.

A task's arguments are stored in the clear by every backend (a table row, a Redis job), so they
are ids and nothing else: never anything a reporter wrote. Return values are small counts.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.base import Task

# Finished task rows of the database backend are deleted after this long: they say which report
# had a notification when, which the audit log keeps anyway.
TASK_RESULTS_KEPT = datetime.timedelta(days=7)

PeriodicJob = Callable[[], int]
"""A periodic job takes no argument and returns how many things it did."""

AnyTask = TypeVar("AnyTask", bound=Task[..., Any])

# name -> (order, job): filled by @periodic_job as the apps' jobs modules are imported.
_periodic_jobs: dict[str, tuple[int, PeriodicJob]] = {}
# name -> task, for the tasks that were defined in this module before the apps declared their own.
_formerly_defined_here: dict[str, Task[..., Any]] = {}


def periodic_job(name: str, *, order: int) -> Callable[[PeriodicJob], PeriodicJob]:
    """Declare a job for the periodic run (`safelight tick`, every few minutes).

    `name` is the key of its count in what the run returns and `safelight tick --now` prints.
    Jobs run one after another by ascending `order` (the jobs use tens), which is also the order
    of the counts. The job returns a count, never anything a reporter wrote.
    """

    def register(job: PeriodicJob) -> PeriodicJob:
        known = _periodic_jobs.get(name)
        if known is not None and _path(known[1]) != _path(job):
            raise ImproperlyConfigured(
                f"Two periodic jobs are named {name!r}: {_path(known[1])} and {_path(job)}."
            )
        _periodic_jobs[name] = (order, job)
        return job

    return register


def periodic_jobs() -> dict[str, PeriodicJob]:
    """The declared periodic jobs, by name, in the order they run."""
    ordered = sorted(_periodic_jobs.items(), key=lambda item: (item[1][0], item[0]))
    return {name: job for name, (_order, job) in ordered}


def _path(job: PeriodicJob) -> str:
    return f"{job.__module__}.{getattr(job, '__qualname__', repr(job))}"


@task()
def periodic() -> dict[str, int]:
    """What runs every few minutes (`safelight tick`): every declared periodic job. Counts only."""
    if not apps.ready:  # the jobs are declared as the apps finish loading
        raise AppRegistryNotReady("The periodic run needs Django set up (django.setup()).")
    return {name: job() for name, job in periodic_jobs().items()}


@periodic_job("task_results_pruned", order=40)
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


def enqueue_on_commit(task: Task[..., Any], *args: Any) -> None:
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


def formerly_defined_here(moved: AnyTask) -> AnyTask:
    """Mark a task that was defined in this module until the apps declared their own (issue 14).

    A queued task is named by its module path (a database row's task_path, a Redis job's
    func_name). Jobs queued before an upgrade name `safelight.tasks.<name>`; this keeps that
    name leading to the task so that they still run. It can go once no installation can hold
    such a job (the database backend keeps finished rows for TASK_RESULTS_KEPT).
    """
    _formerly_defined_here[moved.name] = moved
    return moved


def __getattr__(name: str) -> Task[..., Any]:
    """`safelight.tasks.<name>` of a task that has moved (see formerly_defined_here)."""
    try:
        return _formerly_defined_here[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
