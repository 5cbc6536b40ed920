import base64
import datetime
import tracemalloc

from safelight.evidence.importers import sms_backup
from safelight.evidence.importers.base import Skipped

from . import Media, assert_hashed, collect, fixture, messages, pieces, skipped

UTC = datetime.UTC


def element(data: bytes, start: bytes, end: bytes) -> bytes:
    """The bytes of the element that begins with `start` and ends with the first `end` after it."""
    at = data.index(start)
    return data[at : data.index(end, at) + len(end)]


def test_it_reads_sms_and_mms():
    items = collect(sms_backup.parse([fixture("sms_backup.xml")]))

    assert [
        (m.reference, m.sender, m.sent_at, m.text, m.attachments, m.system)
        for m in messages(items)
    ] == [
        (
            "message 1",
            "Sam Taylor (+447700900123)",
            datetime.datetime(2024, 12, 31, 21, 41, 5, tzinfo=UTC),
            "Where are you? \U0001f620",  # written as the surrogate pair &#55357;&#56864;
            [],
            False,
        ),
        (
            "message 2",
            "me",
            datetime.datetime(2024, 12, 31, 21, 43, 10, tzinfo=UTC),
            "At Maria's, back by 11",
            [],
            False,
        ),
        (
            "message 3",
            "07700 900456",  # contact_name="(Unknown)"
            datetime.datetime(2025, 1, 1, 0, 0, tzinfo=UTC),
            "I know where you are.\nCome outside.",
            [],
            False,
        ),
        (
            "message 4",
            "Sam Taylor (+447700900123)",
            datetime.datetime(2025, 1, 1, 0, 6, 40, tzinfo=UTC),
            "Nice jacket today",
            ["image000000.png"],
            False,
        ),
        (
            "message 5",
            "+447700900789",  # a group MMS: the "from" address (type 137)
            datetime.datetime(2025, 1, 1, 1, 6, 40, tzinfo=UTC),
            "We both know",
            [],
            False,
        ),
        (
            "message 6",
            "me",
            datetime.datetime(2025, 1, 1, 2, 6, 40, tzinfo=UTC),
            "Leave me alone",
            [],
            False,
        ),
    ]
    assert skipped(items) == []


def test_it_yields_an_mms_picture_right_after_its_message():
    items = collect(sms_backup.parse([fixture("sms_backup.xml")]))

    assert items[3].reference == "message 4"
    assert items[4] == Media("image000000.png", fixture("tiny.png"))


def test_it_keeps_each_elements_bytes_exactly_as_in_the_file():
    data = fixture("sms_backup.xml")
    found = messages(sms_backup.parse([data]))

    assert found[0].raw == element(data, b'<sms protocol="0" address="+447700900123"', b"/>")
    assert b"&#55357;&#56864;" in found[0].raw  # the file's bytes, not the repaired ones
    assert found[3].raw == element(data, b'<mms date="1735690000000"', b"</mms>")
    assert found[5].raw == element(data, b'<mms date="1735697200000"', b"</mms>")
    for message in found:
        assert_hashed(message)


def test_it_gives_the_same_items_however_the_file_is_cut_into_chunks():
    data = fixture("sms_backup.xml")
    whole = collect(sms_backup.parse([data]))

    for size in (1, 5, 15, 16, 17, 100, 4096):
        assert collect(sms_backup.parse(pieces(data, size))) == whole


def test_it_refuses_a_file_that_declares_entities():
    items = collect(sms_backup.parse([fixture("sms_billion_laughs.xml")]))

    assert items == [
        Skipped(
            "file",
            "The file declares a document type or entities, which an SMS backup never does; it "
            "was not read, as a safety measure.",
        )
    ]


def test_it_says_a_call_log_is_not_a_message_backup():
    assert collect(sms_backup.parse([fixture("sms_calls.xml")])) == [
        Skipped(
            "file",
            "This XML file is not an SMS Backup & Restore message backup (it holds <calls>, not "
            "<smses>).",
        )
    ]


def test_it_keeps_the_messages_before_a_cut():
    items = collect(sms_backup.parse([fixture("sms_truncated.xml")]))

    assert [m.reference for m in messages(items)] == ["message 1", "message 2", "message 3"]
    assert skipped(items) == [
        Skipped(
            "message 4",
            "The file ends in the middle of this message (it may be cut short); the messages "
            "before it were imported.",
        )
    ]


def test_it_skips_a_broken_message_and_reads_on():
    data = (
        b"<smses>"
        b'<sms address="1" date="1735681265000" type="1" body="first" />'
        b'<sms address="2" date="1735681265000" type="1" body="bare & ampersand" />'
        b'<mms date="1735681265000" msg_box="1" address="3"><parts>'
        b'<part ct="text/plain" text="\x01 control" /></parts></mms>'
        b'<sms address="4" date="1735681265000" type="1" body="last" />'
        b"</smses>"
    )

    items = collect(sms_backup.parse(pieces(data, 7)))

    assert [(m.reference, m.text) for m in messages(items)] == [
        ("message 1", "first"),
        ("message 4", "last"),
    ]
    assert [(s.reference, s.reason) for s in skipped(items)] == [
        ("message 2", "This message is not valid XML (not well-formed (invalid token)); it was "
         "skipped."),
        ("message 3", "This message is not valid XML (not well-formed (invalid token)); it was "
         "skipped."),
    ]


def test_it_turns_a_lone_surrogate_into_a_replacement_character():
    data = b'<smses><sms address="1" date="1" type="1" body="a&#55357;b&#xDE20;c" /></smses>'

    (message,) = messages(sms_backup.parse([data]))

    assert message.text == "a\ufffdb\ufffdc"


def test_it_skips_a_picture_whose_base64_is_damaged():
    data = (
        b'<smses><mms date="1735681265000" msg_box="1" address="1"><parts>'
        b'<part ct="image/jpeg" name="a.jpg" data="not base64!" /></parts></mms></smses>'
    )

    items = collect(sms_backup.parse([data]))

    assert messages(items)[0].attachments == ["a.jpg"]
    assert skipped(items) == [
        Skipped(
            "message 1: a.jpg",
            "The picture or file in this MMS is damaged (its data is not valid base64); it was "
            "skipped.",
        )
    ]


def test_it_skips_a_message_over_the_limit_in_bounded_memory(monkeypatch):
    monkeypatch.setattr(sms_backup, "MAX_MESSAGE_BYTES", 1 << 20)
    picture = base64.b64encode(b"\xff" * (12 << 20))
    head = b'<smses><mms date="1" msg_box="1" address="1"><parts><part ct="image/png" data="'
    tail = b'" /></parts></mms><sms address="2" date="1" type="1" body="after" /></smses>'

    def chunks():
        yield head
        for at in range(0, len(picture), 1 << 16):
            yield picture[at : at + (1 << 16)]
        yield tail

    tracemalloc.start()
    try:
        items = collect(sms_backup.parse(chunks()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [(m.reference, m.text) for m in messages(items)] == [("message 2", "after")]
    assert skipped(items) == [
        Skipped("message 1", "This message is larger than 32 MB, more than any real MMS; it was "
                "skipped.")
    ]
    assert peak < 6 << 20  # the picture is 16 MB of base64


def test_it_refuses_an_encoding_it_cannot_read():
    data = b'<?xml version="1.0" encoding="x-made-up"?>\n<smses count="0"></smses>'

    assert collect(sms_backup.parse([data])) == [
        Skipped(
            "file",
            "The file declares a text encoding that cannot be read; an SMS backup is UTF-8.",
        )
    ]
