"""Canonical JSON: the bytes behind every custody-log leaf and the manifest signature."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelight.evidence import custody
from safelight.evidence.canonical import MAX_SAFE_INTEGER, CanonicalJSONError, canonical_json

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


def test_it_sorts_keys_drops_whitespace_and_keeps_utf_8() -> None:
    value = {"b": [1, True, None], "a": "é €", "B": {"z": False, "y": -3}}
    assert canonical_json(value) == '{"B":{"y":-3,"z":false},"a":"é €","b":[1,true,null]}'.encode()
    assert canonical_json("é") == b'"\xc3\xa9"'


def test_it_sorts_keys_by_code_point() -> None:
    assert canonical_json({"é": 1, "z": 2, "Z": 3, "": 4}) == '{"":4,"Z":3,"z":2,"é":1}'.encode()


def test_it_escapes_what_json_must_escape() -> None:
    assert canonical_json('a"b\\c\n\x01') == b'"a\\"b\\\\c\\n\\u0001"'


@given(value=JSON)
def test_it_equals_the_standard_library_recipe_and_round_trips(value: object) -> None:
    data = canonical_json(value)
    assert data == json.dumps(value, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
    assert json.loads(data) == value
    assert canonical_json(json.loads(data)) == data


def test_it_agrees_with_the_custody_logs_hot_path() -> None:
    fields = {"kind": "message", "item_id": "0f1e/m/42", "added_at": "2026-03-01T10:00:00.000Z",
              "sha256": "ab" * 32, "salt": "cd" * 16}
    assert custody.leaf_input(**fields) == canonical_json(custody.leaf_object(**fields))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, r"\$: float has no canonical JSON form"),
        (float("nan"), r"\$: float"),
        ({"a": [1, float("inf")]}, r"\$\.a\[1\]: float"),
        ((1, 2), r"\$: tuple"),
        (b"bytes", r"\$: bytes"),
        ({1, 2}, r"\$: set"),
        (datetime.date(2026, 3, 4), r"\$: date"),
        ({"when": datetime.datetime(2026, 3, 4)}, r"\$\.when: datetime"),
        ({1: "a"}, r"\$: key 1 is not a str"),
        ({"x": 2**53}, r"\$\.x: integer outside"),
        ([-(2**53)], r"\$\[0\]: integer outside"),
        ("\ud800", r"\$: text holds a lone surrogate"),
        ({"\udfff": 1}, r"key '\\udfff': text holds a lone surrogate"),
    ],
)
def test_it_refuses_values_without_one_portable_form(value: object, message: str) -> None:
    with pytest.raises(CanonicalJSONError, match=message):
        canonical_json(value)


def test_it_refuses_subclasses_that_would_print_differently() -> None:
    class Count(int):
        def __repr__(self) -> str:
            return "lots"

    class Text(str):
        pass

    with pytest.raises(CanonicalJSONError, match="Count has no canonical JSON form"):
        canonical_json(Count(3))
    with pytest.raises(CanonicalJSONError, match="Text has no canonical JSON form"):
        canonical_json({"a": Text("x")})


def test_it_refuses_absurd_nesting_instead_of_recursing_forever() -> None:
    value: list = []
    for _ in range(100):
        value = [value]
    with pytest.raises(CanonicalJSONError, match="nested more than 64 levels"):
        canonical_json(value)
    assert canonical_json([[[]]]) == b"[[[]]]"


def test_it_is_a_value_error() -> None:
    assert issubclass(CanonicalJSONError, ValueError)
