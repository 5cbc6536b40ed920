"""Format bytes: one per kind of output, documented in docs/crypto.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from safelight.crypto import UnsupportedFormat, formats

DOC = Path(__file__).parents[2] / "docs" / "crypto.md"


def test_it_gives_every_kind_its_own_byte() -> None:
    assert sorted(formats.FORMAT_NAMES) == [
        0x11, 0x21, 0x31, 0x32, 0x41, 0x51, 0x52, 0x61, 0x62, 0x63, 0x71, 0x72, 0x81, 0x82,
        0x91,
    ]
    assert formats.FIELD_CIPHERTEXT == 0x11
    assert formats.SHAMIR_SHARE == 0x81


def test_it_documents_every_format_byte() -> None:
    text = DOC.read_text(encoding="utf-8")
    for byte, name in formats.FORMAT_NAMES.items():
        assert f"`0x{byte:02x}`" in text, name


def test_it_names_expected_and_found_formats() -> None:
    with pytest.raises(UnsupportedFormat, match=r"expected sealed box \(0x21\), found Ed25519 "
                       r"signature \(0x61\)"):
        formats.expect_format(b"\x61abc", formats.SEALED_BOX)
    with pytest.raises(UnsupportedFormat, match=r"found unknown format \(0x00\)"):
        formats.expect_format(b"\x00", formats.SEALED_BOX)
    with pytest.raises(UnsupportedFormat, match="found empty input"):
        formats.expect_format(memoryview(b""), formats.SEALED_BOX)
    with pytest.raises(UnsupportedFormat, match="found NoneType"):
        formats.expect_format(None, formats.SEALED_BOX)
    formats.expect_format(bytearray(b"\x21"), formats.SEALED_BOX)
