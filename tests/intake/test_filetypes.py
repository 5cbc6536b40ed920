"""Uploaded files: identified by content, checked, and cleaned of hidden details."""

import contextlib
import io
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf._encryption import Encryption
from pypdf.errors import DependencyError

from safelight.intake.filetypes import (
    KINDS,
    SUPPORTED_DESCRIPTION,
    BrokenFile,
    Cleaned,
    FileProblem,
    TooComplex,
    UnsupportedFile,
    check,
    clean,
    errors,
    hidden_details,
    identify,
)
from safelight.intake.filetypes import details as labels

from . import filetypes_samples as samples

GPS = labels.LABELS[labels.GPS]
DEVICE = labels.LABELS[labels.DEVICE]
TAKEN = labels.LABELS[labels.TAKEN]
AUTHOR = labels.LABELS[labels.AUTHOR]
COMPANY = labels.LABELS[labels.COMPANY]
HISTORY = labels.LABELS[labels.HISTORY]

PHONE_PHOTO = samples.phone_photo()
DOCX = samples.docx()
SAMPLES = {
    "jpeg": PHONE_PHOTO,
    "png": samples.png_with_text(),
    "gif": samples.gif_with_comment(),
    "webp": samples.webp_with_exif(),
    "heic": samples.heic(),
    "pdf": samples.pdf(),
    "docx": DOCX,
    "xlsx": samples.xlsx(),
    "pptx": samples.pptx(),
    "odt": samples.odf("text"),
    "ods": samples.odf("spreadsheet"),
    "odp": samples.odf("presentation"),
    "text": "Il m'a écrit à 3 h du matin.\nHe wrote again.\n".encode(),
    "mp4": samples.mp4(),
    "mov": samples.mov(),
    "m4a": samples.m4a(),
    "mp3": samples.mp3(),
    "ogg": samples.ogg(),
    "webm": samples.webm(),
    "wav": samples.wav(),
}


def _exif_of(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def _pixels(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _png_chunks(data):
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def _webp_chunks(data):
    pos, chunks = 12, {}
    while pos < len(data):
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        chunks[data[pos : pos + 4]] = data[pos + 8 : pos + 8 + length]
        pos += 8 + length + (length & 1)
    return chunks


# Identifying


@pytest.mark.parametrize("kind_name", sorted(SAMPLES))
def test_it_identifies_each_kind_by_content_even_under_a_misleading_name(kind_name):
    kind = identify(SAMPLES[kind_name], name="invoice.exe")
    assert kind.name == kind_name
    assert kind == KINDS[kind_name]
    check(SAMPLES[kind_name], kind)


def test_it_gives_each_kind_its_label_type_and_extension():
    kind = identify(PHONE_PHOTO, name="photo.png")
    assert (kind.content_type, kind.extension, kind.cleanable) == ("image/jpeg", ".jpg", True)
    assert str(kind.label) == "photo (JPEG)"
    assert identify(DOCX).content_type.endswith("wordprocessingml.document")
    assert not identify(samples.mp4()).cleanable
    assert "HEIC" in str(SUPPORTED_DESCRIPTION) and "OpenDocument" in str(SUPPORTED_DESCRIPTION)


@pytest.mark.parametrize(
    "data",
    [
        samples.plain_zip(),
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4,
        bytes(range(256)) * 8,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an old .doc
        b"\x1f\x8b\x08\x00" + b"\x00" * 20,  # gzip
        b"RIFF\x24\x00\x00\x00AVI LIST" + b"\x00" * 28,
        b"{\\rtf1\\ansi Hello}",
    ],
    ids=["zip", "exe", "random", "old-office", "gzip", "avi", "rtf"],
)
def test_it_refuses_kinds_of_file_we_do_not_accept(data):
    with pytest.raises(UnsupportedFile) as problem:
        identify(data, name="report.pdf")
    assert str(problem.value.message)


def test_it_says_why_it_refuses_a_zip_archive():
    with pytest.raises(UnsupportedFile) as problem:
        identify(samples.plain_zip())
    assert problem.value.message == errors.ARCHIVE


def test_it_says_an_empty_file_is_empty():
    with pytest.raises(BrokenFile) as problem:
        identify(b"", name="photo.jpg")
    assert problem.value.message == errors.EMPTY_FILE


def test_it_uses_the_name_only_to_turn_away_text_that_is_not_plain_text():
    page = b"<html><body>hello</body></html>"
    assert identify(page, name="chat.txt").name == "text"
    assert identify(page).name == "text"
    with pytest.raises(UnsupportedFile):
        identify(page, name="chat.HTML")


def test_it_takes_utf16_text_with_a_byte_order_mark_but_not_text_with_nul_bytes():
    assert identify("\ufeffnotes\r\n".encode("utf-16-le"), name="notes.txt").name == "text"
    with pytest.raises(UnsupportedFile):
        identify(b"notes\x00more", name="notes.txt")
    with pytest.raises(UnsupportedFile):
        identify(b"caf\xe9", name="notes.txt")  # Latin-1, not UTF-8


# JPEG


@pytest.mark.parametrize("endian", ["<", ">"], ids=["little-endian", "big-endian"])
def test_it_takes_location_camera_and_dates_out_of_a_photo_and_keeps_its_orientation(endian):
    photo = samples.phone_photo(endian=endian)
    assert _exif_of(photo)[samples.MAKE] == "PhoneMaker"  # the sample is what it claims

    cleaned = clean(photo, KINDS["jpeg"])

    assert isinstance(cleaned, Cleaned)
    exif = _exif_of(cleaned.data)
    assert dict(exif) == {samples.ORIENTATION: 6}
    assert not exif.get_ifd(samples.GPS_IFD)
    assert not exif.get_ifd(samples.EXIF_IFD)
    for secret in (b"PhoneMaker", b"Phone 9", b"2024:03:01", b"Jane", b"GPSLatitude"):
        assert secret not in cleaned.data
    assert set(cleaned.removed) >= {GPS, DEVICE, TAKEN, AUTHOR}
    assert hidden_details(cleaned.data, KINDS["jpeg"]) == ()
    check(cleaned.data, KINDS["jpeg"])


@pytest.mark.parametrize(
    "options",
    [{}, {"progressive": True}, {"restart_marker_blocks": 2}, {"mode": "CMYK"}],
    ids=["baseline", "progressive", "restart-markers", "cmyk"],
)
def test_it_keeps_the_image_data_byte_for_byte(options):
    photo = samples.jpeg(samples.phone_exif(), **options)

    cleaned = clean(photo, KINDS["jpeg"]).data

    scan = photo[photo.index(b"\xff\xda") :]
    assert cleaned.endswith(scan)  # from the first scan to the end: the same bytes
    assert _pixels(cleaned) == _pixels(photo)
    assert b"PhoneMaker" not in cleaned


def test_it_writes_no_exif_at_all_for_a_photo_the_right_way_up():
    cleaned = clean(samples.phone_photo(orientation=1), KINDS["jpeg"]).data
    assert not _exif_of(cleaned)
    assert b"Exif" not in cleaned


def test_it_lists_the_location_of_a_gps_photo_and_nothing_for_a_clean_one():
    assert GPS in hidden_details(PHONE_PHOTO, KINDS["jpeg"])
    no_location = samples.jpeg(samples.phone_exif(gps=False))
    assert GPS not in hidden_details(no_location, KINDS["jpeg"])
    assert DEVICE in hidden_details(no_location, KINDS["jpeg"])
    assert hidden_details(samples.jpeg(), KINDS["jpeg"]) == ()
    assert clean(samples.jpeg(), KINDS["jpeg"]).removed == ()


def test_it_drops_what_follows_the_end_of_the_picture():
    hidden_second_picture = PHONE_PHOTO + samples.phone_photo(gps=True)
    assert labels.LABELS[labels.OTHER] in hidden_details(
        samples.jpeg() + PHONE_PHOTO, KINDS["jpeg"]
    )
    cleaned = clean(hidden_second_picture, KINDS["jpeg"]).data
    assert cleaned.count(b"\xff\xd8") == 1 and b"PhoneMaker" not in cleaned


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_it_says_a_cut_short_jpeg_is_broken(cut):
    truncated = PHONE_PHOTO[: int(len(PHONE_PHOTO) * cut)]
    kind = identify(truncated)
    with pytest.raises(BrokenFile):
        check(truncated, kind)
    with pytest.raises(BrokenFile):
        clean(truncated, kind)


# PNG, WebP, GIF


def test_it_removes_text_time_and_exif_chunks_from_a_png():
    original = SAMPLES["png"]
    assert {b"tEXt", b"iTXt", b"tIME", b"eXIf"} <= set(_png_chunks(original))

    cleaned = clean(original, KINDS["png"])

    assert not {b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"} & set(_png_chunks(cleaned.data))
    assert set(cleaned.removed) >= {GPS, DEVICE, AUTHOR}
    assert _pixels(cleaned.data) == _pixels(original)
    assert not _exif_of(cleaned.data)
    check(cleaned.data, KINDS["png"])


def test_it_says_a_png_with_a_bad_checksum_is_broken():
    original = bytearray(samples.png())
    original[40] ^= 0xFF  # inside the image data, covered by its chunk's CRC
    for work in (check, clean, hidden_details):
        with pytest.raises(BrokenFile):
            work(bytes(original), KINDS["png"])


def test_it_removes_exif_and_xmp_from_a_webp_and_clears_their_flags():
    original = SAMPLES["webp"]
    assert {b"EXIF", b"XMP "} <= set(_webp_chunks(original))

    cleaned = clean(original, KINDS["webp"]).data

    chunks = _webp_chunks(cleaned)
    assert not {b"EXIF", b"XMP "} & set(chunks)
    assert chunks[b"VP8X"][0] & 0x0C == 0
    assert int.from_bytes(cleaned[4:8], "little") == len(cleaned) - 8
    assert not _exif_of(cleaned)
    assert _pixels(cleaned) == _pixels(original)
    assert hidden_details(cleaned, KINDS["webp"]) == ()
    assert hidden_details(samples.webp(), KINDS["webp"]) == ()


def test_it_removes_comments_and_xmp_from_a_gif():
    original = SAMPLES["gif"]
    cleaned = clean(original, KINDS["gif"]).data
    assert b"Jane" not in cleaned and b"taken by" not in cleaned and b"XMP" not in cleaned
    assert _pixels(cleaned) == _pixels(original)
    assert hidden_details(cleaned, KINDS["gif"]) == ()
    assert hidden_details(samples.gif(), KINDS["gif"]) == ()


def test_it_refuses_a_picture_that_would_take_too_much_memory_to_open():
    bomb = samples.png_declaring(100_000, 100_000)
    kind = identify(bomb)
    with pytest.raises(TooComplex):
        check(bomb, kind)


# PDF


def test_it_removes_the_document_information_and_xmp_from_a_pdf():
    original = SAMPLES["pdf"]
    assert AUTHOR in hidden_details(original, KINDS["pdf"])

    cleaned = clean(original, KINDS["pdf"])

    reader = PdfReader(io.BytesIO(cleaned.data))
    assert not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 2
    assert b"Jane" not in cleaned.data
    assert reader.pages[0]["/Annots"][0].get_object()["/Contents"] == "check the dates"
    assert {AUTHOR, HISTORY} <= set(cleaned.removed)
    assert hidden_details(cleaned.data, KINDS["pdf"]) == ()


def test_it_accepts_a_password_protected_pdf_as_it_is_but_cannot_clean_it():
    protected = samples.pdf(password="secret")
    kind = identify(protected)
    check(protected, kind)
    with pytest.raises(BrokenFile) as problem:
        clean(protected, kind)
    assert problem.value.message == errors.PASSWORD_PROTECTED_PDF


def test_it_accepts_an_aes_256_pdf_it_cannot_even_try_to_open(monkeypatch):
    def needs_a_cryptography_library(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    protected = samples.pdf(password="secret")
    monkeypatch.setattr(Encryption, "verify", needs_a_cryptography_library)
    check(protected, KINDS["pdf"])
    assert hidden_details(protected, KINDS["pdf"]) == (labels.LABELS[labels.OTHER],)
    with pytest.raises(BrokenFile) as problem:
        clean(protected, KINDS["pdf"])
    assert problem.value.message == errors.PASSWORD_PROTECTED_PDF


def test_it_says_a_damaged_pdf_is_broken():
    with pytest.raises(BrokenFile):
        check(b"%PDF-1.7\nnot really a PDF", KINDS["pdf"])


# Office and OpenDocument


def test_it_removes_authors_from_a_word_document_and_changes_nothing_else():
    before = _members(DOCX)

    cleaned = clean(DOCX, KINDS["docx"])

    after = _members(cleaned.data)
    assert set(cleaned.removed) >= {AUTHOR, COMPANY, HISTORY, GPS}
    assert "docProps/custom.xml" not in after
    assert b"custom-properties" not in after["_rels/.rels"]
    assert b"custom.xml" not in after["[Content_Types].xml"]
    assert b"Company" not in after["docProps/app.xml"]
    for name, content in after.items():
        assert b"Jane" not in content and b"Reporter &amp; Co" not in content, name
    assert after["word/document.xml"] == before["word/document.xml"].replace(
        b'w:author="Jane Reporter"', b'w:author="Author"'
    )
    assert b'w:initials="A"' in after["word/comments.xml"]
    assert not _exif_of(after["word/media/image1.jpeg"]).get_ifd(samples.GPS_IFD)
    # Everything else is what it was, in the same order.
    assert list(after) == [name for name in before if name != "docProps/custom.xml"]
    assert after["_rels/.rels"] == before["_rels/.rels"].replace(
        b'<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/>',
        b"",
    )
    assert hidden_details(cleaned.data, KINDS["docx"]) == ()
    check(cleaned.data, KINDS["docx"])


@pytest.mark.parametrize("kind_name", ["xlsx", "pptx", "odt", "ods", "odp"])
def test_it_removes_authors_from_other_office_files(kind_name):
    original = SAMPLES[kind_name]
    assert AUTHOR in hidden_details(original, KINDS[kind_name])

    cleaned = clean(original, KINDS[kind_name])

    for name, content in _members(cleaned.data).items():
        assert b"Jane" not in content and b"Reporter" not in content, name
    assert hidden_details(cleaned.data, KINDS[kind_name]) == ()
    assert identify(cleaned.data).name == kind_name


def test_it_keeps_the_opendocument_mimetype_first_and_uncompressed():
    cleaned = clean(SAMPLES["odt"], KINDS["odt"]).data
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert cleaned[30:38] == b"mimetype"
    assert b'office:version="1.3"' in _members(cleaned)["meta.xml"]


def test_it_opens_a_document_with_a_damaged_picture_but_cannot_clean_it():
    damaged_picture = PHONE_PHOTO[: len(PHONE_PHOTO) // 2]
    document = samples.docx(extra=[("word/media/image2.jpeg", damaged_picture)])
    check(document, KINDS["docx"])
    assert labels.LABELS[labels.OTHER] in hidden_details(document, KINDS["docx"])
    with pytest.raises(BrokenFile):
        clean(document, KINDS["docx"])


def test_it_refuses_a_zip_bomb():
    bomb = samples.zip_bomb_docx()
    with pytest.raises(TooComplex):
        identify(bomb)
    for work in (check, clean, hidden_details):
        with pytest.raises(TooComplex):
            work(bomb, KINDS["docx"])


def test_it_refuses_a_package_with_too_many_members():
    many = samples._zip([(f"word/part{number}.xml", "") for number in range(5001)])
    with pytest.raises(TooComplex):
        check(many, KINDS["docx"])


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "word/../../x.xml"])
def test_it_says_a_package_whose_names_leave_it_is_broken(name):
    escaping = samples.docx(extra=[(name, "x")])
    with pytest.raises(BrokenFile):
        identify(escaping)
    with pytest.raises(BrokenFile):
        clean(escaping, KINDS["docx"])


def test_it_says_a_package_with_a_damaged_member_is_broken():
    damaged = bytearray(DOCX)
    at = damaged.index(b"word/document.xml") + len("word/document.xml") + 10
    damaged[at] ^= 0xFF  # in the compressed data of the main document
    with pytest.raises(BrokenFile):
        check(bytes(damaged), KINDS["docx"])


# Kinds we cannot clean


@pytest.mark.parametrize("kind_name", ["heic", "mp4", "mov", "m4a", "mp3", "ogg", "webm", "wav"])
def test_it_warns_what_photos_and_recordings_it_cannot_clean_may_hold(kind_name):
    data = SAMPLES[kind_name]
    assert str(hidden_details(data, KINDS[kind_name])[0]).startswith("may include")
    assert clean(data, KINDS[kind_name]) == Cleaned(data, ())


def test_it_leaves_plain_text_as_it_is():
    text = SAMPLES["text"]
    assert hidden_details(text, KINDS["text"]) == ()
    assert clean(text, KINDS["text"]) == Cleaned(text, ())


@pytest.mark.parametrize("kind_name", ["mp4", "heic", "webm", "ogg"])
def test_it_says_a_cut_short_recording_is_broken(kind_name):
    data = SAMPLES[kind_name]
    with pytest.raises(BrokenFile):
        check(data[: len(data) // 3], KINDS[kind_name])


def test_it_gives_plain_messages_for_every_problem():
    for problem in (UnsupportedFile(), BrokenFile(), TooComplex()):
        assert isinstance(problem, FileProblem)
        message = str(problem.message)
        assert message.endswith(".") and "error" not in message.lower()


# Whatever comes in, only FileProblems come out


def _all_operations(data):
    with contextlib.suppress(FileProblem):
        identify(data, name="x.txt")
    for kind in KINDS.values():
        for work in (check, clean, hidden_details):
            with contextlib.suppress(FileProblem):
                work(data, kind)


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2048))
def test_it_raises_only_file_problems_for_arbitrary_bytes(data):
    _all_operations(data)


@FAST
@given(
    st.sampled_from([*sorted(set(SAMPLES) - {"docx"}), "docx-small"]),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    st.floats(0.05, 1),
)
def test_it_raises_only_file_problems_for_damaged_samples(kind_name, changes, keep):
    original = SMALL_DOCX if kind_name == "docx-small" else SAMPLES[kind_name]
    data = bytearray(original[: max(1, int(len(original) * keep))])
    for where, value in changes:
        data[int(where * len(data))] = value
    _all_operations(bytes(data))


SMALL_DOCX = samples._zip(
    [
        (
            "[Content_Types].xml",
            samples.CONTENT_TYPES.format(
                main="/word/document.xml", kind="wordprocessingml.document"
            ),
        ),
        ("docProps/core.xml", samples.CORE),
        ("word/document.xml", samples.DOCUMENT),
    ]
)
