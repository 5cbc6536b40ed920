"""The ids that sealed data is bound to (associated data) and that custody-log leaves name."""

from __future__ import annotations

import uuid


def page_id(import_id: uuid.UUID | str, number: int) -> str:
    return f"{import_id}/p{number}"


def message_id(import_id: uuid.UUID | str, number: int) -> str:
    return f"{import_id}/m{number}"


def version_id(incident_id: uuid.UUID | str, number: int) -> str:
    return f"{incident_id}/v{number}"
