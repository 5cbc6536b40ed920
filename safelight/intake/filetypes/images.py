"""Opening pictures to check they decode, within limits set before anything is decoded.

The work one picture may cost a worker is bounded (docs/security.md, "Limits"): the size from
the header is checked first, and no picture is ever decoded whole at full size.

* JPEG: Pillow decodes at 1/8 scale (it still reads all of the compressed data, with 1/64 of the
  memory and time); progressive JPEGs, for which libjpeg keeps every coefficient of the full
  picture, have a lower limit.
* PNG: the compressed pixel data is inflated as a stream, a piece at a time, and its length and
  row filters checked against the header: no pixel buffer at all, so a 336 KB 9,400 x 9,400
  picture costs a few MB, not 340.
* GIF and WebP: Pillow decodes the first frame, under a lower pixel limit.
"""

import io
import zlib

from PIL import Image

from . import png
from .errors import BrokenFile, FileProblem, TooComplex

# Far below Pillow's own decompression-bomb limit (about 89 million pixels): what a phone's
# largest photo (50 MP) or a long scrolling screenshot needs, and no more.
MAX_PIXELS = 64_000_000
MAX_PROGRESSIVE_JPEG_PIXELS = 16_000_000
MAX_DECODED_PIXELS = 16_000_000  # GIF and WebP, which Pillow decodes whole
MAX_FRAMES = 5_000
# Pillow's own check, for any decoding elsewhere in the process: its error is then TooComplex.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
_INFLATE_PIECE = 1 << 20


def check(data, kind_name, width, height, frames):
    """Decode the (first) picture; TooComplex past the limits, BrokenFile when it fails."""
    pixels = width * height
    if pixels > MAX_PIXELS or frames > MAX_FRAMES:
        raise TooComplex
    if kind_name in ("gif", "webp") and pixels > MAX_DECODED_PIXELS:
        raise TooComplex
    if kind_name == "png":
        _check_png(data)
        return
    formats = [_FORMATS[kind_name]]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=formats) as image:
            if image.format == "JPEG":
                if image.info.get("progressive") and pixels > MAX_PROGRESSIVE_JPEG_PIXELS:
                    raise TooComplex
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
    except FileProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooComplex from exc
    except Exception as exc:  # Pillow raises many kinds of error for damaged files
        raise BrokenFile from exc


_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def _png_rows(width, height, bits, interlaced):
    """The length in bytes of each filtered row (its filter byte included), in order."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    for x0, y0, dx, dy in passes:
        pass_width = (width - x0 + dx - 1) // dx if width > x0 else 0
        pass_height = (height - y0 + dy - 1) // dy if height > y0 else 0
        if pass_width and pass_height:
            yield pass_height, 1 + (pass_width * bits + 7) // 8


def _check_png(data):
    chunks, (width, height, _frames) = png.parse(data)
    header = chunks[0].body
    depth, colour, compression, filtering, interlace = header[8:13]
    if (colour not in _CHANNELS or depth not in _DEPTHS[colour] or compression or filtering
            or interlace > 1):
        raise BrokenFile
    if colour == 3 and not any(chunk.kind == b"PLTE" for chunk in chunks):
        raise BrokenFile
    rows = list(_png_rows(width, height, _CHANNELS[colour] * depth, interlace == 1))
    inflater = zlib.decompressobj()
    # Where the stream is: which pass (a run of equal rows), and how far into it.
    state = {"pass": 0, "offset": 0}

    def take(piece):
        at = 0
        while at < len(piece):
            if state["pass"] >= len(rows):
                raise BrokenFile  # more data than the header says
            count, length = rows[state["pass"]]
            room = count * length - state["offset"]
            part = piece[at : at + room]
            first = (-state["offset"]) % length
            filters = part[first::length]
            if filters and max(filters) > 4:
                raise BrokenFile  # no such row filter
            at += len(part)
            state["offset"] += len(part)
            if state["offset"] == count * length:
                state["pass"] += 1
                state["offset"] = 0

    try:
        for chunk in chunks:
            if chunk.kind != b"IDAT":
                continue
            pending = chunk.body
            while pending:
                piece = inflater.decompress(pending, _INFLATE_PIECE)
                pending = inflater.unconsumed_tail
                take(piece)
                if inflater.eof:
                    break
        while not inflater.eof and inflater.unconsumed_tail:
            piece = inflater.decompress(inflater.unconsumed_tail, _INFLATE_PIECE)
            take(piece)
    except zlib.error as exc:
        raise BrokenFile from exc
    if not inflater.eof or state["pass"] < len(rows):
        raise BrokenFile  # the pixel data stops short of the picture
