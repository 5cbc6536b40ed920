"""The notifications as background tasks: queued by the actions that make the news, after the
commit (safelight.tasks.enqueue_on_commit), and sent by the worker. Each takes an id only."""

from __future__ import annotations

from django_tasks import task

from safelight import notifications
from safelight.tasks import formerly_defined_here


@formerly_defined_here
@task()
def notify_urgent_task(report_id: str) -> int:
    return notifications.notify_urgent(report_id)


@formerly_defined_here
@task()
def notify_reopened_task(report_id: str) -> int:
    return notifications.notify_reopened(report_id)


@formerly_defined_here
@task()
def notify_new_report_task(report_id: str) -> int:
    return notifications.notify_new_report(report_id)


@formerly_defined_here
@task()
def notify_new_message_task(message_id: str) -> int:
    return notifications.notify_new_message(message_id)
