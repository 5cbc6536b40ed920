"""Writing audit events. Every action elsewhere calls `record` once, inside its own transaction."""

from __future__ import annotations

from django.db import models

from safelight.audit.models import Event


def record(
    *,
    action: str,
    actor: models.Model | None = None,
    organisation: models.Model | None = None,
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
