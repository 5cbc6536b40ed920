"""Argument checks shared by the recipes."""

from __future__ import annotations

import pytest

from safelight.crypto import InvalidInput
from safelight.crypto.inputs import as_bytes, symmetric_key, text


def test_it_passes_bytes_through_and_copies_other_buffers() -> None:
    data = b"abc"
    assert as_bytes(data, "x") is data
    assert as_bytes(bytearray(b"abc"), "x") == data
    assert type(as_bytes(memoryview(b"abc"), "x")) is bytes


@pytest.mark.parametrize("value", ["abc", 3, None, [1, 2]])
def test_it_rejects_non_bytes_with_invalid_input(value: object) -> None:
    with pytest.raises(InvalidInput, match="must be bytes"):
        as_bytes(value, "thing")


def test_it_checks_key_length_and_text() -> None:
    assert symmetric_key(bytes(32)) == bytes(32)
    with pytest.raises(InvalidInput, match="32 bytes, got 16"):
        symmetric_key(bytes(16))
    assert text("x", "name") == "x"
    with pytest.raises(InvalidInput, match="name must be str"):
        text(b"x", "name")
