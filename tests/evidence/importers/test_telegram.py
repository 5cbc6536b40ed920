import datetime
import json
import tracemalloc

from safelight.evidence.importers import telegram
from safelight.evidence.importers.base import Skipped

from . import assert_hashed, collect, fixture, messages, pieces, skipped

UTC = datetime.UTC


def when(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=UTC)


def test_it_reads_a_one_chat_export():
    items = collect(telegram.parse([fixture("telegram_result.json")]))

    assert [
        (m.reference, m.sender, m.sent_at, m.text, m.attachments, m.system)
        for m in messages(items)
    ] == [
        ("message 101", "Sam Taylor", when(1735681200), "phone call: 12 s; hangup", [], True),
        ("message 102", "Sam Taylor", when(1735681265), "Pick up the phone", [], False),
        (
            "message 103",
            "Sam Taylor",
            when(1735681500),
            "I know where you are: 14 Elm Road https://maps.example/?q=14+Elm+Road",
            ["photos/photo_1@31-12-2024_21-45-00.jpg"],
            False,
        ),
        (
            "message 104",
            "Robin",
            when(1735681800),
            "",
            ["voice_messages/audio_1@31-12-2024_21-50-00.ogg"],
            False,
        ),
        ("message 105", "user999", when(1735689660), "Location: 53.8008, -1.5491", [], False),
        ("message 106", "Sam Taylor", when(1735689720), "Café \U0001f620", [], False),
    ]
    assert skipped(items) == []
    assert when(1735681265) == datetime.datetime(2024, 12, 31, 21, 41, 5, tzinfo=UTC)


def test_it_keeps_each_message_objects_bytes_as_in_the_file():
    data = fixture("telegram_result.json")
    found = messages(telegram.parse([data]))

    start = data.index(b'{\n   "id": 102,')
    end = data.index(b"\n  },\n  {\n   \"id\": 103") + len(b"\n  }")
    assert found[1].raw == data[start:end]
    assert json.loads(found[1].raw)["text"] == "Pick up the phone"
    assert b"\\ud83d\\ude20" in found[5].raw  # the escapes as written
    for message in found:
        assert_hashed(message)


def test_it_reads_an_all_chats_export():
    items = collect(telegram.parse(pieces(fixture("telegram_all_chats.json"), 50)))

    assert [(m.reference, m.sender, m.text, m.system) for m in items] == [
        ("chat \u201cSam Taylor\u201d, message 1", "Sam Taylor", "Where are you?", False),
        (
            "chat \u201cFlat 3\u201d, message 7",
            "Alex",
            "create group: \u201cFlat 3\u201d; Alex, Robin, Priya",
            True,
        ),
        ("chat \u201cFlat 3\u201d, message 8", "Alex", "Rent is due", False),
    ]


def test_it_gives_the_same_items_however_the_file_is_cut_into_chunks():
    data = fixture("telegram_result.json")
    whole = collect(telegram.parse([data]))

    for size in (1, 3, 16, 17, 100, 4096):
        assert collect(telegram.parse(pieces(data, size))) == whole


def test_it_skips_a_broken_message_and_reads_on():
    data = (
        b'{"name": "x", "messages": [\n'
        b'{"id": 1, "type": "message", "from": "A", "text": "one"},\n'
        b'{"id": 2, "type": "message", "from": "A", "text": "two" "oops"},\n'
        b'{"id": 3, "type": "message", "from": "A", "text": "three"},\n'
        b'"not an object",\n'
        b'{"id": 5, "type": "message", "from": "A", "text": "five"}\n'
        b"]}"
    )

    items = collect(telegram.parse(pieces(data, 9)))

    assert [(m.reference, m.text) for m in messages(items)] == [
        ("message 1", "one"),
        ("message 3", "three"),
        ("message 5", "five"),
    ]
    assert skipped(items) == [
        Skipped(
            "message number 2 in the list",
            "This message is not valid JSON (Expecting ',' delimiter); skipped.",
        ),
        Skipped(
            "message number 4 in the list",
            "This item of the message list is not a message; it was skipped.",
        ),
    ]


def test_it_keeps_the_messages_before_a_cut():
    data = fixture("telegram_result.json")
    cut = data[: data.index(b'"id": 104') + 20]

    items = collect(telegram.parse(pieces(cut, 64)))

    assert [m.reference for m in messages(items)] == [
        "message 101", "message 102", "message 103"
    ]
    assert skipped(items) == [
        Skipped(
            "message number 4 in the list",
            "The file ends in the middle of this message (it may be cut short); the messages "
            "before it were imported.",
        )
    ]


def test_it_passes_over_a_huge_value_in_bounded_memory():
    filler = b"x" * (1 << 16)

    def chunks():
        yield b'{"about": "'
        for _ in range(256):  # 16 MiB of text in one string
            yield filler
        yield b'", "messages": [{"id": 1, "type": "message", "from": "A", "text": "hi"}]}'

    tracemalloc.start()
    try:
        items = collect(telegram.parse(chunks()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [(m.sender, m.text) for m in items] == [("A", "hi")]
    assert peak < 2 << 20


def test_it_marks_bytes_that_are_not_utf8():
    data = b'{"messages": [{"id": 1, "type": "message", "from": "A", "text": "caf\xe9"}]}'

    items = collect(telegram.parse([data]))

    assert items[0].text == "caf\ufffd"
    assert items[0].raw == data[14:-2]
    assert items[1].reference == "message 1"
    assert "not valid UTF-8" in items[1].reason


def test_it_says_when_json_holds_no_messages():
    assert collect(telegram.parse([b'{"about": "nothing here"}'])) == [
        Skipped(
            "file",
            'This JSON file holds no Telegram messages (no "messages" list); it is not a '
            "Telegram Desktop export.",
        )
    ]
