"""The locker's storage quota (SAFELIGHT_LOCKER_QUOTA_MB): one measure of what a locker holds,
used by every action that stores bytes in it (docs/security.md, "Limits").

What counts: its stored files (incident files, imported media and exports), its imported
messages and its incidents' versions, as sealed, and the files kept across an incident form's
error. Saving an incident and keeping files call `ensure_room` inside their transaction, after
their rows are written and with the locker row locked: past the quota it raises LockerFull, the
transaction takes every row back, and the uploads they did not claim are deleted when the request
ends. An import (safelight.evidence.importing) sets its streaming budget from the same
`locker_usage`, so it stops as soon as it would go past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length
from django.template.defaultfilters import filesizeformat

from safelight.evidence.models import (
    EvidenceFile,
    IncidentDraftFile,
    IncidentVersion,
    Locker,
    MessagePage,
)


class LockerFull(Exception):
    """What was being stored does not fit in the locker's quota; `message` says so plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _total(rows, expression) -> int:
    return rows.aggregate(total=Sum(expression))["total"] or 0


def locker_usage(locker: Locker) -> int:
    """Bytes a locker holds now: files, imported messages, incident versions, kept files."""
    return (
        _total(EvidenceFile.objects.filter(locker=locker), "size")
        + _total(MessagePage.objects.filter(message_import__locker=locker),
                 Length("sealed_messages"))
        + _total(IncidentVersion.objects.filter(incident__locker=locker),
                 Length("sealed_content"))
        + _total(IncidentDraftFile.objects.filter(locker=locker), "size")
    )


def quota() -> int:
    return settings.SAFELIGHT_LOCKER_QUOTA_BYTES


def room_left(locker: Locker) -> int:
    """What still fits in the locker (never below 0)."""
    return max(quota() - locker_usage(locker), 0)


def ensure_room(locker: Locker, *, added: Iterable[tuple[str, int]],
                message: Callable[[str, str, str], str]) -> None:
    """Refuse what was just stored (inside the caller's transaction) when the locker is now past
    its quota. `added` lists what this action stored, in order, as (name, bytes); the refusal
    names the first of them that did not fit: message(name, quota, room before this action)."""
    used = locker_usage(locker)
    limit = quota()
    if used <= limit:
        return
    added = list(added)
    room = limit - (used - sum(size for _name, size in added))
    left = room
    name = added[-1][0] if added else ""
    for item, size in added:
        left -= size
        if left < 0:
            name = item
            break
    raise LockerFull(message(name, filesizeformat(limit), filesizeformat(max(room, 0))))
