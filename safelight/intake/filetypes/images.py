"""Opening pictures with Pillow to check they decode, within limits set before decoding."""

import io

from PIL import Image

from .errors import BrokenFile, FileProblem, TooComplex

# Pillow's own decompression-bomb limit (about 89 million pixels, a 10,000 x 9,000 picture):
# checked from the header before Pillow is asked to open anything.
MAX_PIXELS = 89_478_485
MAX_FRAMES = 5_000

_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}


def check(data, kind_name, width, height, frames):
    """Decode the (first) picture; TooComplex past the limits, BrokenFile when it fails."""
    if width * height > MAX_PIXELS or frames > MAX_FRAMES:
        raise TooComplex
    formats = [_FORMATS[kind_name]]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=formats) as image:
            if image.format == "JPEG":
                # Decoding at 1/8 scale still reads all of the compressed data, with 1/64 of the
                # memory and time.
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
    except FileProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooComplex from exc
    except Exception as exc:  # Pillow raises many kinds of error for damaged files
        raise BrokenFile from exc
