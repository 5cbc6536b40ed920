"""Report together's background work: telling the staff of a match, after the commit."""

from __future__ import annotations

from django_tasks import task

from safelight.escrow.notifications import notify_match
from safelight.tasks import formerly_defined_here


@formerly_defined_here
@task()
def notify_escrow_match_task(match_id: int) -> int:
    return notify_match(match_id)
