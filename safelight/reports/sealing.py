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


# A report's answers: the list of answered entries (safelight.intake.questions.answered_entries),
# sealed as one field. The language the reporter wrote in is sealed with them, as one more entry
# of its own kind at the end, never in clear. Readers that pick entries by kind (report together's
# exclusions) pass over it; reports sent before it existed have none ("not recorded").
LANGUAGE_KIND = "reporter_language"
LANGUAGE_KEY = "@language"  # no question's key: those are slugs


class SealedAnswers(list[dict[str, Any]]):
    """The answered entries of a report, and the language they were given in (None: not
    recorded, the report was sent before the language was sealed with it)."""

    language: str | None = None


def seal_answers(key: bytes, entries: list[dict[str, Any]], *, language: str | None,
                 object_id: object) -> bytes:
    sealed = list(entries)
    if language:
        sealed.append({"kind": LANGUAGE_KIND, "key": LANGUAGE_KEY, "value": language})
    return seal_json(key, sealed, purpose=REPORT, object_id=object_id, field="answers")


def open_answers(key: bytes, blob: bytes, *, object_id: object) -> SealedAnswers:
    answers = SealedAnswers()
    for entry in open_json(key, blob, purpose=REPORT, object_id=object_id, field="answers"):
        if entry.get("kind") == LANGUAGE_KIND:
            answers.language = entry.get("value") or None
        else:
            answers.append(entry)
    return answers
