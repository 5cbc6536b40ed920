"""JPEG: a segment walker that drops metadata segments and keeps the image data byte for byte."""

import re
from dataclasses import dataclass

from . import details as d
from .errors import BrokenFile
from .exif import exif_details, orientation, orientation_only, xmp_details

SIGNATURE = b"\xff\xd8\xff"

_EOI = 0xD9
_SOS = 0xDA
_APP0, _APP1, _APP2, _APP14 = 0xE0, 0xE1, 0xE2, 0xEE
_COM = 0xFE
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
# Start-of-frame markers (C0-CF less DHT, JPG and DAC) hold the picture's size.
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}

# In entropy-coded data 0xFF is always followed by 0x00 (stuffing) or a restart marker, so the
# first 0xFF followed by anything else is the marker that ends the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")

_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"
_ICC = b"ICC_PROFILE\x00"


@dataclass(frozen=True)
class Segment:
    marker: int
    raw: bytes  # the whole segment from its 0xFF; for SOS also the entropy-coded data after it

    @property
    def payload(self):
        return self.raw[4:]


@dataclass(frozen=True)
class Jpeg:
    segments: tuple  # everything between SOI and EOI, in order
    trailer: bytes  # whatever followed EOI
    width: int
    height: int


def parse(data):
    """Walk the segments; BrokenFile when the structure is not that of a whole JPEG."""
    if not data.startswith(SIGNATURE):
        raise BrokenFile
    end = len(data)
    pos = 2
    segments = []
    size = None
    scans = 0
    while True:
        if pos >= end or data[pos] != 0xFF:
            raise BrokenFile
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            raise BrokenFile
        marker = data[pos]
        start = pos - 1
        pos += 1
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            segments.append(Segment(marker, data[start:pos]))
            continue
        if marker in (0x00, 0xD8) or pos + 2 > end:
            raise BrokenFile
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise BrokenFile
        pos += length
        if marker == _SOS:
            found = _SCAN_END.search(data, pos)
            if found is None:
                raise BrokenFile  # cut short inside the image data
            pos = found.start()
            scans += 1
        elif marker in _SOF:
            if length < 8:
                raise BrokenFile
            height = int.from_bytes(data[start + 5 : start + 7], "big")
            width = int.from_bytes(data[start + 7 : start + 9], "big")
            size = (width, height)
        segments.append(Segment(marker, data[start:pos]))
    if size is None or scans == 0 or 0 in size:
        raise BrokenFile
    return Jpeg(tuple(segments), data[pos:], size[0], size[1])


def _keep(segment):
    marker, payload = segment.marker, segment.payload
    if marker == _APP0:
        return payload.startswith((b"JFIF\x00", b"JFXX\x00"))
    if marker == _APP2:
        return payload.startswith(_ICC)  # colour profile; MPF (more pictures after EOI) goes
    if marker == _APP14:
        return payload.startswith(b"Adobe")  # colour transform, changes how it is decoded
    return not (0xE1 <= marker <= 0xEF or marker == _COM)


def _segment_details(segment):
    payload = segment.payload
    if segment.marker == _APP1 and payload.startswith(_EXIF):
        return exif_details(payload)
    if segment.marker == _APP1 and payload.startswith((_XMP, _XMP_EXTENSION)):
        return xmp_details(payload)
    if segment.marker == _APP2 and payload.startswith(b"MPF\x00"):
        return set()  # only an index of the pictures after EOI; those count as the trailer
    return {d.OTHER}


def _details(jpeg):
    found = set()
    for segment in jpeg.segments:
        if not _keep(segment):
            found |= _segment_details(segment)
    if jpeg.trailer.strip(b"\x00\xff"):
        found.add(d.OTHER)  # e.g. a second, full-size picture with its own EXIF
    return found


def hidden_details(data):
    return _details(parse(data))


def size(data):
    jpeg = parse(data)
    return jpeg.width, jpeg.height, 1


def clean(data):
    jpeg = parse(data)
    turn = None
    for segment in jpeg.segments:
        if segment.marker == _APP1 and segment.payload.startswith(_EXIF):
            turn = orientation(segment.payload)
            break
    kept = [segment.raw for segment in jpeg.segments if _keep(segment)]
    if turn is not None:
        block = orientation_only(turn)
        app1 = bytes((0xFF, _APP1)) + (len(block) + 2).to_bytes(2, "big") + block
        at = 0
        while at < len(kept) and kept[at][1] == _APP0:
            at += 1  # JFIF must stay first
        kept.insert(at, app1)
    cleaned = b"".join([b"\xff\xd8", *kept, b"\xff\xd9"])
    return cleaned, _details(jpeg)
