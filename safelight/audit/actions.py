"""Writing audit events. Every action elsewhere calls `record` once, inside its own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from safelight.audit.models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from safelight.accounts.models import Organisation


def record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    target: models.Model | None = None,
    count: int | None = None,
) -> Event:
    """`count`, for an action on many things at once (housekeeping), is kept instead of a
    target: object type "count", object id the number. Never names."""
    if count is not None:
        target_type, target_id = "count", str(count)
    else:
        target_type = target._meta.label_lower if target is not None else ""
        target_id = str(target.pk) if target is not None else ""
    return Event.objects.create(
        action=action,
        actor=actor,
        organisation=organisation,
        target_type=target_type,
        target_id=target_id,
    )
