"""Associated data binding ciphertexts to (purpose, object_id, field)."""

from __future__ import annotations

import pytest

from safelight.crypto import InvalidInput
from safelight.crypto.context import associated_data


def test_it_length_prefixes_each_part() -> None:
    ad = associated_data(b"\x11", purpose="p", object_id="42", field="námé")
    assert ad == b"\x11" + b"\x00\x01p" + b"\x00\x0242" + b"\x00\x06n\xc3\xa1m\xc3\xa9"


def test_it_never_encodes_two_contexts_alike() -> None:
    a = associated_data(b"", purpose="ab", object_id="c", field="d")
    b = associated_data(b"", purpose="a", object_id="bc", field="d")
    assert a != b


@pytest.mark.parametrize(
    "ctx",
    [
        {"purpose": "", "object_id": "1", "field": "f"},
        {"purpose": "p", "object_id": 1, "field": "f"},
        {"purpose": "p", "object_id": "1", "field": b"f"},
        {"purpose": "é" * 32768, "object_id": "1", "field": "f"},
        {"purpose": "p", "object_id": "\udfff", "field": "f"},
    ],
)
def test_it_rejects_unusable_parts(ctx: dict) -> None:
    with pytest.raises(InvalidInput):
        associated_data(b"", **ctx)
