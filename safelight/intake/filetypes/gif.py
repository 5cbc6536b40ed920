"""GIF: a block walker that drops comments and application blocks other than looping and colour.

XMP lives in an application extension ("XMP DataXMP"), so only the two looping extensions
(NETSCAPE2.0, ANIMEXTS1.0) and the colour profile (ICCRGBG1) are kept.
"""

from . import details as d
from .errors import BrokenFile
from .exif import xmp_details

_IMAGE = 0x2C
_EXTENSION = 0x21
_TRAILER = 0x3B
_GRAPHIC_CONTROL = 0xF9
_PLAIN_TEXT = 0x01
_APPLICATION = 0xFF
_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012")


def _sub_blocks_end(data, pos):
    """Where the chain of data sub-blocks starting at ``pos`` ends (after its 0 terminator)."""
    end = len(data)
    while True:
        if pos >= end:
            raise BrokenFile
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _colour_table(packed):
    return 3 * (2 ** ((packed & 0x07) + 1)) if packed & 0x80 else 0


def parse(data):
    """The blocks as (kind, raw bytes) after the header, and (width, height, frames)."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise BrokenFile
    width = int.from_bytes(data[6:8], "little")
    height = int.from_bytes(data[8:10], "little")
    if not width or not height:
        raise BrokenFile
    pos = 13 + _colour_table(data[10])
    header = data[:pos]
    if len(header) < pos:
        raise BrokenFile
    blocks = []
    frames = 0
    end = len(data)
    while True:
        if pos >= end:
            break  # no trailer: tolerated when the last block was whole
        start = pos
        introducer = data[pos]
        if introducer == _TRAILER:
            break
        if introducer == _IMAGE:
            if pos + 10 > end:
                raise BrokenFile
            pos += 10 + _colour_table(data[pos + 9])
            pos = _sub_blocks_end(data, pos + 1)  # after the LZW minimum code size
            frames += 1
            blocks.append((_IMAGE, b"", data[start:pos]))
        elif introducer == _EXTENSION:
            if pos + 2 > end:
                raise BrokenFile
            label = data[pos + 1]
            pos = _sub_blocks_end(data, pos + 2)
            if pos > end:
                raise BrokenFile
            blocks.append((label, data[start + 2 : pos], data[start:pos]))
        else:
            raise BrokenFile
    if pos > end or frames == 0:
        raise BrokenFile
    return header, blocks, (width, height, frames)


def _application(body):
    return body[1:12] if body[:1] == b"\x0b" else b""


def _keep(label, body):
    if label in (_GRAPHIC_CONTROL, _PLAIN_TEXT, _IMAGE):
        return True
    return label == _APPLICATION and _application(body) in _KEPT_APPLICATIONS


def _block_details(label, body):
    if label == _APPLICATION and _application(body) == b"XMP DataXMP":
        return xmp_details(body)
    return {d.OTHER}


def hidden_details(data):
    _, blocks, _ = parse(data)
    found = set()
    for label, body, _raw in blocks:
        if not _keep(label, body):
            found |= _block_details(label, body)
    return found


def size(data):
    return parse(data)[2]


def clean(data):
    header, blocks, _ = parse(data)
    found = set()
    kept = [header]
    for label, body, raw in blocks:
        if _keep(label, body):
            kept.append(raw)
        else:
            found |= _block_details(label, body)
    kept.append(bytes((_TRAILER,)))
    return b"".join(kept), found
