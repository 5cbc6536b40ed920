"""Evidence files as phones make them: a JPEG with GPS and camera details, a PNG screenshot."""

from __future__ import annotations

import io
import os

from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def gps_jpeg(size=(64, 48), maker="PhoneMaker") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE] = maker
    exif[0x0110] = "Model X"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def noise_jpeg(size=(600, 600)) -> bytes:
    """A photo-like JPEG that does not compress away (about 0.5 MB at 600 x 600)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def exif_of(data: bytes):
    return Image.open(io.BytesIO(data)).getexif()
