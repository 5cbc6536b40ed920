import os
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safelight.evidence.importers import FORMATS, meta, parse, sms_backup, telegram, whatsapp
from safelight.evidence.importers import email as email_importer
from safelight.evidence.importers.base import Message, Skipped
from safelight.evidence.importers.lines import OverlongLine, iter_lines

from . import collect, fixture, messages, pieces, skipped

PARSERS = {
    "whatsapp_txt": whatsapp.parse,
    "whatsapp_zip": whatsapp.parse_zip,
    "sms_backup": sms_backup.parse,
    "eml": email_importer.parse_eml,
    "mbox": email_importer.parse_mbox,
    "telegram": telegram.parse,
    "meta": meta.parse,
}
GOOD = {
    "whatsapp_txt": ["whatsapp_android_12h.txt", "whatsapp_ios_24h.txt", "whatsapp_group.txt"],
    "whatsapp_zip": ["whatsapp_android.zip", "whatsapp_ios.zip"],
    "sms_backup": ["sms_backup.xml"],
    "eml": ["email_with_attachment.eml"],
    "mbox": ["mailbox.mbox"],
    "telegram": ["telegram_result.json", "telegram_all_chats.json"],
    "meta": ["instagram_message_1.json", "facebook_message_1.json"],
}


# --- the malformed fixtures ------------------------------------------------------------------

MALFORMED = [
    (
        "whatsapp_truncated.zip",
        "whatsapp_zip",
        7,
        [
            ("IMG-20241231-WA0003.jpg", "The archive is cut short inside this file"),
        ],
    ),
    (
        "whatsapp_bad_crc.zip",
        "whatsapp_zip",
        5,
        [("00000012-PHOTO-2024-12-31-21-47-12.jpg", "its checksum does not match")],
    ),
    ("whatsapp_encrypted.zip", "whatsapp_zip", 0, [("archive", "protected with a password")]),
    ("whatsapp_bomb.zip", "whatsapp_zip", 0, [("IMG-00000000-WA0000.jpg", "zip bomb")]),
    ("whatsapp_garbage_line.txt", "whatsapp_txt", 2, [("line 2", "unreadable binary data")]),
    ("whatsapp_invalid_utf8.txt", "whatsapp_txt", 2, [("line 1", "not valid UTF-8")]),
    ("sms_truncated.xml", "sms_backup", 3, [("message 4", "ends in the middle of this message")]),
    ("sms_billion_laughs.xml", "sms_backup", 0, [("file", "declares a document type")]),
    ("sms_calls.xml", "sms_backup", 0, [("file", "not an SMS Backup & Restore message backup")]),
    ("telegram_array.json", "telegram", 0, [("file", "is a list, not the object")]),
    ("telegram_array.json", "meta", 0, [("file", "is a list, not the object")]),
]


@pytest.mark.parametrize(("name", "key", "imported", "expected"), MALFORMED)
def test_it_says_what_it_skipped_in_each_malformed_fixture(name, key, imported, expected):
    items = collect(parse(key, pieces(fixture(name), 256)))

    assert len(messages(items)) == imported
    assert all(s.reason for s in skipped(items))
    for reference, part in expected:
        assert any(s.reference == reference and part in s.reason for s in skipped(items))


@pytest.mark.parametrize("key", sorted(FORMATS))
@pytest.mark.parametrize("name", ["empty.txt", "noise.bin"])
def test_it_skips_an_empty_or_noisy_file_in_every_format(key, name):
    items = collect(parse(key, [fixture(name)]))

    assert items, "something must say why nothing was imported"
    assert all(isinstance(item, Skipped) and item.reason for item in items)
    if name == "empty.txt":
        assert items == [Skipped("file", "The file is empty.")]


def test_it_skips_a_huge_line_in_bounded_memory():
    line = b"x" * (1 << 16)

    def chunks():
        yield b"31/12/2024, 21:41 - Ann: before\n"
        for _ in range(1024):  # a 64 MiB line
            yield line
        yield b"\n31/12/2024, 21:42 - Ann: after\n"

    tracemalloc.start()
    try:
        items = collect(whatsapp.parse(chunks()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [(m.reference, m.text) for m in messages(items)] == [
        ("line 1", "before"),
        ("line 3", "after"),
    ]
    assert skipped(items) == [
        Skipped(
            "line 2",
            "This line is 67,108,864 bytes long, too long for a chat message; it was skipped.",
        )
    ]
    assert peak < 4 << 20  # a sixteenth of the line


# --- splitting into lines --------------------------------------------------------------------


@given(
    st.lists(st.sampled_from([b"a", b"bb", b"\n", b"\r\n", b"xyz" * 5, b"\xe2\x80\xaf"]),
             max_size=60),
    st.lists(st.integers(min_value=0, max_value=400), max_size=12),
    st.integers(min_value=1, max_value=12),
)
def test_it_splits_lines_the_same_way_however_the_chunks_are_cut(parts, cuts, limit):
    data = b"".join(parts)

    whole = [x if isinstance(x, bytes) else x.size for x in iter_lines([data], limit)]
    cut = [x if isinstance(x, bytes) else x.size for x in iter_lines(split(data, cuts), limit)]

    assert cut == whole
    # over-long lines aside, the lines are the input
    if not any(isinstance(x, int) for x in whole):
        assert b"".join(whole) == data
    for x in iter_lines([data], limit):
        if isinstance(x, OverlongLine):
            assert x.size > limit
        else:
            assert len(x.rstrip(b"\n")) <= limit


# --- never raises, whatever the input and however it is cut ----------------------------------


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    out, last = [], 0
    for point in points:
        out.append(data[last:point])
        last = point
    out.append(data[last:])
    return out


def mutate(data: bytes, edits: list[tuple[float, int, int]]) -> bytes:
    buffer = bytearray(data)
    for where, kind, value in edits:
        if not buffer:
            break
        at = int(where * (len(buffer) - 1))
        if kind == 0:
            buffer[at] ^= value or 1
        elif kind == 1:
            del buffer[at : at + value % 64 + 1]
        elif kind == 2:
            buffer[at:at] = bytes([value]) * (value % 7 + 1)
        else:
            del buffer[at:]
    return bytes(buffer)


def check(key: str, data: bytes, cuts: list[int]) -> None:
    importer = PARSERS[key]
    whole = collect(importer([data]))
    assert collect(importer(split(data, cuts))) == whole
    for item in whole:
        assert isinstance(item, Message | Skipped) or item.__class__.__name__ == "Media"
        if isinstance(item, Skipped):
            assert item.reason
        if isinstance(item, Message):
            item.text.encode("utf-8")  # no lone surrogates: the text can be stored
            item.sender.encode("utf-8")


EDITS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=4,
)
CUTS = st.lists(st.integers(min_value=0, max_value=5000), max_size=20)
# IMPORTER_EXAMPLES=3000 for a longer search (it ran clean at 3,000 when written)
PROPERTY = settings(
    max_examples=int(os.environ.get("IMPORTER_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("key", sorted(PARSERS))
@PROPERTY
@given(data=st.binary(max_size=3000), cuts=CUTS)
def test_it_never_raises_on_random_bytes(key, data, cuts):
    check(key, data, cuts)


@pytest.mark.parametrize("key", sorted(PARSERS))
@PROPERTY
@given(choice=st.integers(min_value=0, max_value=3), edits=EDITS, cuts=CUTS)
def test_it_never_raises_on_damaged_exports(key, choice, edits, cuts):
    names = GOOD[key]
    data = mutate(fixture(names[choice % len(names)]), edits)
    check(key, data, cuts)
