"""PNG: a chunk walker that checks every CRC and drops the text, time and EXIF chunks."""

import zlib
from dataclasses import dataclass

from . import details as d
from .errors import BrokenFile
from .exif import exif_details, xmp_details

SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Text (tEXt, zTXt, iTXt), the time of last change (tIME), EXIF (eXIf) and content credentials
# (caBX, which names who made or edited it).
_DROP = {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf", b"caBX"}
_MAX_CHUNK = 2**31 - 1

_TEXT_KEYS = {
    b"Author": d.AUTHOR,
    b"Copyright": d.AUTHOR,
    b"Creation Time": d.TAKEN,
}


@dataclass(frozen=True)
class Chunk:
    kind: bytes
    body: bytes
    raw: bytes


def parse(data):
    """The chunks up to IEND and the size from IHDR; BrokenFile on any damage."""
    if not data.startswith(SIGNATURE):
        raise BrokenFile
    pos = len(SIGNATURE)
    chunks = []
    while True:
        if pos + 12 > len(data):
            raise BrokenFile
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > _MAX_CHUNK or end > len(data) or not kind.isalpha():
            raise BrokenFile
        body = data[pos + 8 : end - 4]
        if zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
            raise BrokenFile
        chunks.append(Chunk(kind, body, data[pos:end]))
        pos = end
        if kind == b"IEND":
            break
    header = chunks[0]
    if header.kind != b"IHDR" or len(header.body) != 13:
        raise BrokenFile
    width = int.from_bytes(header.body[:4], "big")
    height = int.from_bytes(header.body[4:8], "big")
    if not width or not height:
        raise BrokenFile
    frames = sum(chunk.kind == b"fcTL" for chunk in chunks) or 1
    return chunks, (width, height, frames)


def _chunk_details(chunk):
    if chunk.kind == b"eXIf":
        return exif_details(chunk.body)
    if chunk.kind == b"tIME":
        return {d.TAKEN}
    if chunk.kind in (b"tEXt", b"zTXt", b"iTXt"):
        keyword = chunk.body.split(b"\x00", 1)[0]
        flag = chunk.body[len(keyword) + 1 : len(keyword) + 2]
        compressed = chunk.kind == b"zTXt" or (chunk.kind == b"iTXt" and flag != b"\x00")
        if keyword == b"XML:com.adobe.xmp":
            return {d.OTHER} if compressed else xmp_details(chunk.body)
        return {_TEXT_KEYS.get(keyword, d.OTHER)}
    return {d.OTHER}


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
    kept = [SIGNATURE]
    for chunk in chunks:
        if chunk.kind in _DROP:
            found |= _chunk_details(chunk)
        else:
            kept.append(chunk.raw)
    return b"".join(kept), found
