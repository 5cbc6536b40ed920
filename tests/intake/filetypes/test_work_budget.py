"""The work one uploaded file may cost is bounded (issue 20, item 8): bytes unpacked across all
parts of an office package, and pixels decoded of a picture; past it, a plain refusal."""

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from safelight.intake import filetypes
from safelight.intake.filetypes import images, office

DOCX_TYPES = (
    b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
    b'wordprocessingml.document.main+xml"/></Types>'
)


def docx(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def png(width: int, height: int, *, rows: bytes | None = None, colour: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * (width * {0: 1, 2: 3, 6: 4}[colour])
    raw = rows if rows is not None else row * height
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def test_it_refuses_a_small_docx_that_unpacks_to_hundreds_of_megabytes_of_xml():
    # 250 parts just under 1 MiB each: about 280 KB on the wire, 80 s of CPU before.
    data = docx({f"word/part{i}.xml": b" " * ((1 << 20) - 100) for i in range(250)})
    assert len(data) < 400_000
    with pytest.raises(filetypes.TooComplex) as excinfo:
        filetypes.check(data, filetypes.identify(data, name="report.docx"))
    assert "too large or too complex" in str(excinfo.value.message)


def test_it_refuses_xml_past_the_markup_budget_even_under_the_unpacked_limit():
    part = b"<w:p/>" * ((office.MAX_MARKUP // 6) // 4 + 1)
    data = docx({f"word/part{i}.xml": part for i in range(5)})
    with pytest.raises(filetypes.TooComplex):
        filetypes.check(data, filetypes.identify(data, name="report.docx"))


def test_it_still_cleans_names_from_a_document_within_the_budget():
    body = (b'<w:document xmlns:w="w"><w:ins w:author="Mallory Example" w:id="1">'
            b'<w:t>text</w:t></w:ins></w:document>')
    data = docx({"word/document.xml": body})
    kind = filetypes.identify(data, name="report.docx")
    cleaned = filetypes.clean(data, kind)
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as package:
        assert b"Mallory" not in package.read("word/document.xml")
        assert b'w:author="Author"' in package.read("word/document.xml")


def test_it_refuses_a_picture_of_more_pixels_than_the_limit():
    # 9,400 x 9,400: a 336 KB PNG that added about 340 MB to a worker before.
    data = png(9400, 9400, colour=0)
    assert len(data) < 400_000
    with pytest.raises(filetypes.TooComplex):
        filetypes.check(data, filetypes.identify(data, name="photo.png"))
    assert images.MAX_PIXELS < 89_478_485  # far below Pillow's own limit


def test_it_checks_a_large_png_without_decoding_its_pixels(monkeypatch):
    def no_full_decode(self, *args, **kwargs):
        raise AssertionError("the PNG was decoded whole")

    monkeypatch.setattr(Image.Image, "load", no_full_decode)
    data = png(4000, 3000)
    filetypes.check(data, filetypes.identify(data, name="screenshot.png"))


@pytest.mark.parametrize("rows", [
    b"\x00" + b"\x00" * 30 * 3,  # one row of ten: the pixel data stops short
    (b"\x07" + b"\x00" * 30 * 3) * 10,  # no such row filter
    (b"\x00" + b"\x00" * 30 * 3) * 11,  # more rows than the header says
])
def test_it_finds_a_damaged_png_without_decoding_it(rows):
    data = png(30, 10, rows=rows)
    with pytest.raises(filetypes.BrokenFile):
        filetypes.check(data, filetypes.identify(data, name="broken.png"))


def test_it_refuses_a_large_gif_or_webp_that_would_be_decoded_whole():
    with pytest.raises(filetypes.TooComplex):
        images.check(b"", "webp", 5000, 5000, 1)
