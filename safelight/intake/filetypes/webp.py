"""WebP: a RIFF chunk walker that drops the EXIF and XMP chunks and clears their VP8X flags."""

from dataclasses import dataclass

from .errors import BrokenFile
from .exif import exif_details, xmp_details

_EXIF_FLAG = 0x08
_XMP_FLAG = 0x04
_DROP = {b"EXIF", b"XMP "}


def is_webp(data):
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    body: bytes


def parse(data):
    """The chunks and (width, height, frames); BrokenFile on any damage."""
    if not is_webp(data):
        raise BrokenFile
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if riff_end > len(data):
        raise BrokenFile  # cut short
    pos = 12
    chunks = []
    while pos < riff_end:
        if pos + 8 > riff_end:
            raise BrokenFile
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        end = pos + 8 + length
        if end > riff_end:
            raise BrokenFile
        chunks.append(Chunk(data[pos : pos + 4], data[pos + 8 : end]))
        pos = end + (length & 1)
    return chunks, _size(chunks)


def _size(chunks):
    if not chunks:
        raise BrokenFile
    first = chunks[0]
    body = first.body
    frames = sum(chunk.kind == b"ANMF" for chunk in chunks) or 1
    if first.kind == b"VP8X" and len(body) >= 10:
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
    elif first.kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width = int.from_bytes(body[6:8], "little") & 0x3FFF
        height = int.from_bytes(body[8:10], "little") & 0x3FFF
    elif first.kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width = (bits & 0x3FFF) + 1
        height = ((bits >> 14) & 0x3FFF) + 1
    else:
        raise BrokenFile
    if not width or not height:
        raise BrokenFile
    return width, height, frames


def _chunk_details(chunk):
    if chunk.kind == b"EXIF":
        return exif_details(chunk.body)
    return xmp_details(chunk.body)


def hidden_details(data):
    chunks, _ = parse(data)
    found = set()
    for chunk in chunks:
        if chunk.kind in _DROP:
            found |= _chunk_details(chunk)
    return found


def size(data):
    return parse(data)[1]


def clean(data):
    chunks, _ = parse(data)
    found = set()
    parts = []
    for chunk in chunks:
        if chunk.kind in _DROP:
            found |= _chunk_details(chunk)
            continue
        body = chunk.body
        if chunk.kind == b"VP8X" and body:
            body = bytes((body[0] & ~(_EXIF_FLAG | _XMP_FLAG) & 0xFF,)) + body[1:]
        padding = b"\x00" * (len(body) & 1)
        parts.append(chunk.kind + len(body).to_bytes(4, "little") + body + padding)
    content = b"WEBP" + b"".join(parts)
    return b"RIFF" + len(content).to_bytes(4, "little") + content, found
