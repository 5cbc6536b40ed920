"""Canonical JSON: one byte string per value, for the custody log's leaf inputs and the evidence
bundle's manifest signature (docs/evidence-bundle.md, "Canonical JSON").

The bytes are exactly what Python's standard library gives for::

    json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

so anyone can reproduce them, but only for the values that have a single, portable JSON
form: dicts with str keys, lists, str, int within +-(2**53 - 1) (I-JSON, RFC 7493, so that a
JavaScript verifier reads the same numbers), True, False and None.  Anything else - a float, a
tuple, bytes, a datetime, a lone surrogate - raises CanonicalJSONError naming where it is.
Keys are sorted by Unicode code point.  Pure Python: no Django.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_SAFE_INTEGER", "CanonicalJSONError", "canonical_json"]

MAX_SAFE_INTEGER = 2**53 - 1
_MAX_DEPTH = 64


class CanonicalJSONError(ValueError):
    """A value has no canonical JSON form (the message names where it is)."""


def canonical_json(obj: object) -> bytes:
    """The canonical JSON of ``obj`` as UTF-8 bytes (see the module docstring)."""
    try:
        _check(obj, 0)
    except _Refused as refused:
        raise CanonicalJSONError(f"{refused.where()}: {refused.reason}") from None
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        where = _surrogate(obj, "$")
        raise CanonicalJSONError(f"{where}: text holds a lone surrogate") from None


class _Refused(Exception):
    """Raised deep in a value; each level adds its step to the path on the way out."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.steps: list[str] = []

    def where(self) -> str:
        return "$" + "".join(reversed(self.steps))


def _check(value: Any, depth: int) -> None:
    """Any value, told apart by its exact type (a subclass of int, str, list or dict has no
    canonical form); Any, because the checks below are what narrows it."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return
    if kind is int:
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise _Refused("integer outside +-(2**53 - 1)")
        return
    if depth >= _MAX_DEPTH:
        raise _Refused(f"nested more than {_MAX_DEPTH} levels deep")
    if kind is list:
        for number, item in enumerate(value):
            if type(item) is not str:
                try:
                    _check(item, depth + 1)
                except _Refused as refused:
                    refused.steps.append(f"[{number}]")
                    raise
        return
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Refused(f"key {key!r} is not a str")
            if type(item) is not str:
                try:
                    _check(item, depth + 1)
                except _Refused as refused:
                    refused.steps.append(f".{key}")
                    raise
        return
    raise _Refused(f"{kind.__name__} has no canonical JSON form")


def _surrogate(value: Any, where: str) -> str:
    """Where the first lone surrogate is (the value is known to hold one)."""
    if isinstance(value, str):
        return where
    items = enumerate(value) if isinstance(value, list) else value.items()
    for key, item in items:
        step = f"[{key}]" if isinstance(value, list) else f".{key}"
        if isinstance(key, str) and _bad_text(key):
            return f"{where} key {key!r}"
        if isinstance(item, str | list | dict) and _bad_text(json.dumps(item, ensure_ascii=False)):
            return _surrogate(item, where + step)
    return where


def _bad_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
