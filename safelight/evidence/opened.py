"""An open locker: its row and its key, and how a value is sealed under that key.

Every reader and writer of a locker's content takes an `OpenLocker`: the survivor's (opened with
the passphrase, safelight.evidence.session) or a handler's (opened with their private key,
safelight.evidence.access.shared_locker). Values are sealed under the locker key with the
purpose "locker" and the id and field they belong to, so a sealed value cannot be moved to
another row or field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safelight.evidence.models import Locker
from safelight.reports.sealing import seal_json

PURPOSE = "locker"


@dataclass
class OpenLocker:
    locker: Locker
    key: bytes
    # The server-side session that keeps it open; None until keep_open starts one.
    session_id: str | None = None

    def __repr__(self) -> str:
        return f"<OpenLocker {self.locker.pk}>"


def seal(opened: OpenLocker, value: Any, *, object_id: object, field: str) -> bytes:
    """`value` as JSON, sealed under the locker key for this object and field."""
    return seal_json(opened.key, value, purpose=PURPOSE, object_id=object_id, field=field)
