"""JSON values sealed with safelight.crypto, bound to (purpose, object, field)."""

from __future__ import annotations

import base64
import json
from typing import Any

from safelight.crypto import open_field, seal_field

# The purpose every field of a report is sealed for (answers, identity, messages, files).
REPORT = "report"


def seal_json(key: bytes, value: Any, *, purpose: str, object_id: object, field: str) -> bytes:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return seal_field(key, data, purpose=purpose, object_id=str(object_id), field=field)


def open_json(key: bytes, blob: bytes, *, purpose: str, object_id: object, field: str) -> Any:
    data = open_field(key, bytes(blob), purpose=purpose, object_id=str(object_id), field=field)
    return json.loads(data.decode("utf-8"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))
