"""What EXIF and XMP blocks reveal, and a minimal EXIF block that keeps only the orientation.

EXIF is read with Pillow's parser (both byte orders); XMP is only searched for property names,
never parsed as XML, since we drop it whole anyway.
"""

import re

from PIL import ExifTags, Image

from . import details as d

ORIENTATION = 0x0112

# Tags that say nothing about who, where, when or with what: layout and colour bookkeeping.
_PLAIN_TAGS = {
    ORIENTATION,
    0x011A,  # XResolution
    0x011B,  # YResolution
    0x0128,  # ResolutionUnit
    0x0213,  # YCbCrPositioning
    0x9000,  # ExifVersion
    0x9101,  # ComponentsConfiguration
    0xA000,  # FlashpixVersion
    0xA001,  # ColorSpace
    0xA002,  # PixelXDimension
    0xA003,  # PixelYDimension
    ExifTags.IFD.Exif,
    ExifTags.IFD.GPSInfo,
    ExifTags.IFD.Interop,
}

_TAG_DETAILS = {
    0x010F: d.DEVICE,  # Make
    0x0110: d.DEVICE,  # Model
    0xC614: d.DEVICE,  # UniqueCameraModel
    0x927C: d.DEVICE,  # MakerNote
    0xA431: d.DEVICE,  # BodySerialNumber
    0xA432: d.DEVICE,  # LensSpecification
    0xA433: d.DEVICE,  # LensMake
    0xA434: d.DEVICE,  # LensModel
    0xA435: d.DEVICE,  # LensSerialNumber
    0x0132: d.TAKEN,  # DateTime
    0x9003: d.TAKEN,  # DateTimeOriginal
    0x9004: d.TAKEN,  # DateTimeDigitized
    0x9010: d.TAKEN,  # OffsetTime
    0x9011: d.TAKEN,  # OffsetTimeOriginal
    0x9012: d.TAKEN,  # OffsetTimeDigitized
    0x9290: d.TAKEN,  # SubsecTime
    0x9291: d.TAKEN,  # SubsecTimeOriginal
    0x9292: d.TAKEN,  # SubsecTimeDigitized
    0x013B: d.AUTHOR,  # Artist
    0x8298: d.AUTHOR,  # Copyright
    0x9C9D: d.AUTHOR,  # XPAuthor
    0xA430: d.AUTHOR,  # CameraOwnerName
}

_GPS_VERSION = 0x0000


def _load(payload):
    exif = Image.Exif()
    exif.load(bytes(payload))
    return exif


def exif_details(payload):
    """Keys of the details in an EXIF block (TIFF data, with or without the ``Exif\\0\\0`` head).

    A block we cannot read counts as "other hidden details": it is dropped all the same.
    """
    found = set()
    try:
        exif = _load(payload)
        tags = dict(exif)
        tags.update(exif.get_ifd(ExifTags.IFD.Exif))
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        thumbnail = exif.get_ifd(ExifTags.IFD.IFD1)
    except Exception:  # any failure of a damaged block means "unreadable"
        return {d.OTHER}
    if any(tag != _GPS_VERSION for tag in gps):
        found.add(d.GPS)
    if thumbnail:
        found.add(d.OTHER)  # a small copy of the picture, possibly before it was cropped
    for tag in tags:
        if tag not in _PLAIN_TAGS:
            found.add(_TAG_DETAILS.get(tag, d.OTHER))
    return found


def orientation(payload):
    """The Orientation tag (2 to 8) of an EXIF block, or None when absent, 1 or unreadable."""
    try:
        value = _load(payload).get(ORIENTATION)
    except Exception:  # an unreadable block has no usable orientation
        return None
    if isinstance(value, int) and 2 <= value <= 8:
        return value
    return None


def orientation_only(value):
    """A new EXIF block (with the ``Exif\\0\\0`` head) holding only the Orientation tag."""
    exif = Image.Exif()
    exif[ORIENTATION] = value
    return exif.tobytes()


_XMP_DETAILS = (
    (re.compile(rb"GPS(?:Latitude|Longitude|Altitude|Position)"), d.GPS),
    (
        re.compile(
            rb":(?:Make|Model|SerialNumber|BodySerialNumber|Lens|LensModel|LensMake|"
            rb"LensSerialNumber|CameraSerialNumber)\b"
        ),
        d.DEVICE,
    ),
    (re.compile(rb":(?:DateTimeOriginal|DateTimeDigitized|DateCreated|CreateDate)\b"), d.TAKEN),
    (re.compile(rb":(?:creator|Artist|Author|CaptionWriter|Owner|OwnerName)\b"), d.AUTHOR),
    (re.compile(rb":(?:History|DerivedFrom|DocumentAncestors|Ingredients)\b"), d.HISTORY),
)


def xmp_details(packet):
    """Keys of the details in an XMP packet (searched by property name, not parsed)."""
    found = {key for pattern, key in _XMP_DETAILS if pattern.search(packet)}
    return found or {d.OTHER}
