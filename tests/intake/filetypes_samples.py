"""Sample files for the file-type tests, built in memory (nothing is written to disk)."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.annotations import Text
from pypdf.generic import DecodedStreamObject, NameObject, TextStringObject

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
MAKE = 0x010F
MODEL = 0x0110
DATETIME = 0x0132
DATETIME_ORIGINAL = 0x9003

XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Reporter</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def picture(width=48, height=32):
    """A small picture with enough detail that a change to its pixels would show."""
    image = Image.new("RGB", (width, height))
    image.putdata(
        [((x * 5) % 256, (y * 7) % 256, (x * y) % 256) for y in range(height) for x in range(width)]
    )
    return image


def phone_exif(endian="<", orientation=6, gps=True):
    exif = Image.Exif()
    exif.endian = endian
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMaker"
    exif[MODEL] = "Phone 9 Pro"
    exif[DATETIME] = "2024:03:01 21:14:05"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2024:03:01 21:14:05"
    if gps:
        gps_ifd = exif.get_ifd(GPS_IFD)
        gps_ifd[1] = "N"
        gps_ifd[2] = (51.0, 30.0, 0.0)
        gps_ifd[3] = "W"
        gps_ifd[4] = (0.0, 7.0, 30.0)
    return exif


def _save(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(exif=None, mode="RGB", **options):
    if exif is not None:
        options["exif"] = exif
    return _save(picture().convert(mode), "JPEG", quality=90, **options)


def phone_photo(endian="<", orientation=6, gps=True):
    """A JPEG as phones make them: EXIF with GPS, make, model and dates, plus XMP and a comment."""
    return jpeg(phone_exif(endian, orientation, gps), xmp=XMP_PACKET, comment=b"Jane's phone")


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_text():
    info = PngInfo()
    info.add_text("Author", "Jane Reporter")
    info.add_text("Software", "Screenshot Tool 3")
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
    data = _save(picture(), "PNG", pnginfo=info, exif=phone_exif())
    # Pillow writes no tIME chunk; add one before IEND as a screenshot tool would.
    time_chunk = _chunk(b"tIME", struct.pack(">HBBBBB", 2024, 3, 1, 21, 14, 5))
    return data[:-12] + time_chunk + data[-12:]


def png(width=48, height=32):
    return _save(picture(width, height), "PNG")


def png_declaring(width, height):
    """A PNG whose header claims a huge size, with almost no data behind it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def webp_with_exif():
    return _save(picture(), "WEBP", lossless=True, exif=phone_exif(), xmp=XMP_PACKET)


def webp():
    return _save(picture(), "WEBP", quality=80)


def gif_with_comment():
    data = _save(picture().convert("P"), "GIF", comment=b"taken by Jane")
    # An XMP application extension right after the header and colour table, as editors add it.
    xmp_block = b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(XMP_PACKET) + b"\x00"
    cut = 13 + 3 * 2 ** ((data[10] & 0x07) + 1)
    return data[:cut] + xmp_block + data[cut:]


def _sub_blocks(data):
    return b"".join(
        bytes((len(part),)) + part for part in (data[i : i + 255] for i in range(0, len(data), 255))
    )


def gif():
    return _save(picture().convert("P"), "GIF")


def pdf(metadata=True, pages=2, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if metadata:
        writer.add_metadata(
            {
                "/Author": "Jane Reporter",
                "/Creator": "Word Processor 12",
                "/Title": "notes",
                "/CreationDate": "D:20240301211405Z",
            }
        )
        xmp = DecodedStreamObject()
        xmp.set_data(XMP_PACKET)
        xmp[NameObject("/Type")] = NameObject("/Metadata")
        xmp[NameObject("/Subtype")] = NameObject("/XML")
        writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
        note = Text(text="check the dates", rect=(20, 20, 60, 60))
        note[NameObject("/T")] = TextStringObject("Jane Reporter")  # the note's author
        writer.add_annotation(page_number=0, annotation=note)
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PKG = "http://schemas.openxmlformats.org/package/2006"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006"
MIME = "application/vnd.openxmlformats"


def _override(part, content_type):
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def _relationship(number, kind, target):
    return f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>'


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Types xmlns="{PKG}/content-types">'
    f'<Default Extension="rels" ContentType="{MIME}-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + _override("{main}", MIME + "-officedocument.{kind}.main+xml")
    + _override("/docProps/core.xml", f"{MIME}-package.core-properties+xml")
    + _override("/docProps/app.xml", f"{MIME}-officedocument.extended-properties+xml")
    + _override("/docProps/custom.xml", f"{MIME}-officedocument.custom-properties+xml")
    + "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG}/relationships">'
    + _relationship(1, f"{DOC}/relationships/officeDocument", "{main}")
    + _relationship(2, f"{PKG}/relationships/metadata/core-properties", "docProps/core.xml")
    + _relationship(3, f"{DOC}/relationships/extended-properties", "docProps/app.xml")
    + _relationship(4, f"{DOC}/relationships/custom-properties", "docProps/custom.xml")
    + "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<cp:coreProperties xmlns:cp="{PKG}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Notes</dc:title><dc:creator>Jane Reporter</dc:creator>"
    "<cp:lastModifiedBy>Jane Reporter</cp:lastModifiedBy><cp:revision>7</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T21:14:05Z</dcterms:created>'
    "</cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Template>Normal.dotm</Template><TotalTime>42</TotalTime><Application>Word</Application>"
    "<Company>Reporter &amp; Co</Company><Manager>Sam Boss</Manager></Properties>"
)
CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client">'
    "<vt:lpwstr>Jane Reporter</vt:lpwstr></property></Properties>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'
    "<w:p><w:r><w:t>He sent the messages every night.</w:t></w:r></w:p>"
    '<w:p><w:ins w:id="1" w:author="Jane Reporter" w:date="2024-03-01T21:14:05Z">'
    "<w:r><w:t>And again today.</w:t></w:r></w:ins></w:p></w:body></w:document>"
)
COMMENTS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {W}>'
    '<w:comment w:id="0" w:author="Jane Reporter" w:initials="JR" w:date="2024-03-01T21:14:05Z">'
    "<w:p><w:r><w:t>check the dates</w:t></w:r></w:p></w:comment></w:comments>"
)


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            if isinstance(content, str):
                content = content.encode()
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 1, 21, 14, 4)), content, compress)
    return out.getvalue()


def docx(extra=()):
    main = "/word/document.xml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                CONTENT_TYPES.format(main=main, kind="wordprocessingml.document"),
            ),
            ("_rels/.rels", ROOT_RELS.format(main=main.lstrip("/"))),
            ("docProps/core.xml", CORE),
            ("docProps/app.xml", APP),
            ("docProps/custom.xml", CUSTOM),
            ("word/document.xml", DOCUMENT),
            ("word/comments.xml", COMMENTS),
            ("word/media/image1.jpeg", phone_photo()),
            *extra,
        ]
    )


def xlsx():
    main = "/xl/workbook.xml"
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES.format(main=main, kind="spreadsheetml.sheet")),
            ("_rels/.rels", ROOT_RELS.format(main=main.lstrip("/"))),
            ("docProps/core.xml", CORE),
            ("docProps/app.xml", APP),
            (
                "xl/workbook.xml",
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
            ),
            (
                "xl/comments1.xml",
                "<comments><authors><author>Jane Reporter</author></authors></comments>",
            ),
        ]
    )


def pptx():
    main = "/ppt/presentation.xml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                CONTENT_TYPES.format(main=main, kind="presentationml.presentation"),
            ),
            ("_rels/.rels", ROOT_RELS.format(main=main.lstrip("/"))),
            ("docProps/core.xml", CORE),
            ("ppt/presentation.xml", "<p:presentation/>"),
        ]
    )


ODF_META = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
    "<meta:initial-creator>Jane Reporter</meta:initial-creator>"
    "<dc:creator>Jane Reporter</dc:creator>"
    "<meta:creation-date>2024-03-01T21:14:05</meta:creation-date>"
    "<meta:generator>Office Suite 7</meta:generator></office:meta></office:document-meta>"
)
ODF_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>'
    "<office:annotation><dc:creator>Jane Reporter</dc:creator></office:annotation>"
    "</office:text></office:body></office:document-content>"
)


def odf(kind="text"):
    return _zip(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}"),
            ("META-INF/manifest.xml", "<manifest:manifest/>"),
            ("meta.xml", ODF_META),
            ("content.xml", ODF_CONTENT),
            ("styles.xml", "<office:document-styles/>"),
        ]
    )


def plain_zip():
    return _zip([("holiday/photo.jpg", jpeg()), ("notes.txt", "hello")])


def zip_bomb_docx():
    """A Word document with one member of 8 MiB of zeros that packs into a few kilobytes."""
    main = "/word/document.xml"
    return _zip(
        [
            (
                "[Content_Types].xml",
                CONTENT_TYPES.format(main=main, kind="wordprocessingml.document"),
            ),
            ("word/document.xml", b"\x00" * (8 * 1024 * 1024)),
        ]
    )


def _box(kind, body=b""):
    return struct.pack(">I", 8 + len(body)) + kind + body


def iso_media(major, compatible=(), needed=b"moov"):
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (
        _box(b"ftyp", brands)
        + _box(needed, _box(b"mvhd", b"\x00" * 100))
        + _box(b"mdat", b"\x11" * 64)
    )


def mp4():
    return iso_media(b"isom", (b"isom", b"iso2", b"avc1", b"mp41"))


def mov():
    return iso_media(b"qt  ", (b"qt  ",))


def m4a():
    return iso_media(b"M4A ", (b"M4A ", b"mp42", b"isom"))


def heic():
    return iso_media(b"heic", (b"mif1", b"heic"), needed=b"meta")


def mp3(tag=True):
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 if tag else b""
    return id3 + frame * 4


def ogg():
    body = b"\x01vorbis" + b"\x00" * 23
    return b"OggS\x00\x02" + b"\x00" * 20 + bytes((1, len(body))) + body


def webm():
    header = b"\x42\x82\x84webm"
    return b"\x1a\x45\xdf\xa3" + bytes((0x80 | len(header),)) + header + b"\x18\x53\x80\x67\x81\x00"


def wav():
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    samples = b"\x00\x01" * 200
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(samples))
        + samples
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body
