"""The one write of the notifications: the audit event saying that one was sent.

The mails themselves are composed and sent by safelight.notifications (and, for report
together's matches, safelight.escrow.notifications), from the background tasks of
safelight.notification_tasks and safelight.escrow.jobs. The event names the report or match and
the organisation, never who was told.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model

from safelight.accounts.models import Organisation
from safelight.audit.actions import record


@transaction.atomic
def record_notification(*, action: str, organisation: Organisation, target: Model) -> None:
    """A notification about `target` went out (to no one, when no one could be reached: the
    event says that it was due, not that it arrived)."""
    record(action=action, organisation=organisation, target=target)
