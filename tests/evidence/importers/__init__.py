"""Tests of the message-export importers; helpers shared by them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from safelight.evidence.importers.base import MediaFile, Message, Skipped

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def pieces(data: bytes, size: int) -> list[bytes]:
    """`data` cut into chunks of `size` bytes."""
    return [data[at : at + size] for at in range(0, len(data), size)]


@dataclass(frozen=True)
class Media:
    """A MediaFile with its bytes read, so that results can be compared."""

    name: str
    data: bytes


def collect(items) -> list[Message | Media | Skipped]:
    """Every item of an importer, each MediaFile read to the end before the next is asked for."""
    out = []
    for item in items:
        if isinstance(item, MediaFile):
            out.append(Media(item.name, b"".join(item.chunks)))
        else:
            out.append(item)
    return out


def messages(items) -> list[Message]:
    return [item for item in items if isinstance(item, Message)]


def skipped(items) -> list[Skipped]:
    return [item for item in items if isinstance(item, Skipped)]


def assert_hashed(message: Message) -> None:
    assert message.sha256 == hashlib.sha256(message.raw).digest()
