"""The reporter's "report together" choice as the draft keeps it (sealed under the draft key).

The draft never holds an identifier: only the OPRF output P̂ of each one (computed in the
browser, or on the server in memory without JavaScript), its kind, and which path it took.
"""

from __future__ import annotations

from typing import Any

# Where the draft keeps the identifiers' outputs: not a question code (codes are slugs).
DRAFT_KEY = "~together"
MAX_IDENTIFIERS = 5


def holds(answers: dict[str, Any], questions) -> bool:
    """Whether the reporter chose to hold the report (a "report together" question said yes)."""
    return any(answers.get(question.key) == "yes" for question in questions)


def identifiers(answers: dict[str, Any]) -> list[dict[str, str]]:
    """[{"kind": ..., "output": b64 P̂, "path": "browser" | "server"}]"""
    return list(answers.get(DRAFT_KEY) or [])


def with_identifier(answers: dict[str, Any], item: dict[str, str]) -> dict[str, Any]:
    merged = dict(answers)
    merged[DRAFT_KEY] = [*identifiers(answers), item]
    return merged


def without_identifier(answers: dict[str, Any], index: int) -> dict[str, Any]:
    items = identifiers(answers)
    if 0 <= index < len(items):
        del items[index]
    merged = dict(answers)
    if items:
        merged[DRAFT_KEY] = items
    else:
        merged.pop(DRAFT_KEY, None)
    return merged
