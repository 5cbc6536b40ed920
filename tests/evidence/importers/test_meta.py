import datetime

import pytest

from safelight.evidence.importers import meta
from safelight.evidence.importers.base import Skipped

from . import assert_hashed, collect, fixture, messages, pieces, skipped

UTC = datetime.UTC


def when(milliseconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=UTC)


def test_it_reads_instagram_and_repairs_its_encoding():
    items = collect(meta.parse([fixture("instagram_message_1.json")]))

    assert [
        (m.reference, m.sender, m.sent_at, m.text, m.attachments, m.system)
        for m in messages(items)
    ] == [
        (
            "message 1",
            "Renée D.",
            datetime.datetime(2025, 1, 1, 0, 1, tzinfo=UTC),
            "Tu vas le regretter \U0001f620",
            [],
            False,
        ),
        (
            "message 2",
            "Renée D.",
            when(1735681500000),
            "",
            [
                "your_instagram_activity/messages/inbox/reneed_17841400000000000/photos/"
                "451111111111111111.jpg"
            ],
            False,
        ),
        ("message 3", "Robin Ellis", when(1735681265000), "On se voit au café ?", [], False),
    ]
    assert skipped(items) == []


def test_it_reads_facebook_shares_unsent_and_system_messages():
    items = collect(meta.parse(pieces(fixture("facebook_message_1.json"), 33)))

    assert [(m.sender, m.sent_at, m.text, m.attachments, m.system) for m in items] == [
        (
            "Jörg Müller",
            when(1736000000000),
            "Schau dir das an",
            ["https://www.example.com/post/123"],
            False,
        ),
        ("Jörg Müller", when(1735999000000), "", [], False),  # is_unsent
        ("Zoë Smith", when(1735998000000), "Zoë Smith added Jörg Müller to the group.", [], True),
        (
            "Zoë Smith",
            when(1735997000000),
            "¡Hola! — meet at 8?",
            [
                "messages/inbox/flat3_4000000001/photos/"
                "123456789_1234567890123456_1234567890123456789_n_1234567890123456.jpg"
            ],
            False,
        ),
    ]


def test_it_keeps_each_message_objects_bytes_as_in_the_file():
    data = fixture("instagram_message_1.json")
    first = messages(meta.parse([data]))[0]

    start = data.index(b'{\n      "sender_name": "Ren\\u00c3\\u00a9e D.",\n      "timestamp_ms"')
    end = data.index(b"}", data.index(b"is_unsent_image_by_messenger_kid_parent")) + 1
    assert first.raw == data[start:end]
    assert_hashed(first)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Caf\u00c3\u00a9", "Café"),
        ("\u00f0\u009f\u0098\u00a0", "\U0001f620"),
        ("plain ascii", "plain ascii"),
        ("Zo\u00eb", "Zoë"),  # already right: Latin-1 bytes that are not UTF-8 are left alone
        ("\u65e5\u672c", "\u65e5\u672c"),  # above U+00FF: left alone
    ],
)
def test_it_repairs_only_what_round_trips(written, read):
    assert meta.repair(written) == read


def test_it_reads_the_newer_messenger_export():
    data = (
        b'{"participants": ["A", "B"], "threadName": "A", "messages": ['
        b'{"isUnsent": false, "media": [{"uri": "./media/1.jpg"}], "reactions": [],'
        b' "senderName": "A", "text": "Caf\\u00c3\\u00a9", "timestamp": 1735681265000,'
        b' "type": "media"}]}'
    )

    (message,) = messages(meta.parse([data]))

    assert (message.sender, message.text, message.attachments, message.sent_at) == (
        "A",
        "Café",
        ["./media/1.jpg"],
        when(1735681265000),
    )


def test_it_refuses_a_json_list():
    assert collect(meta.parse([b'[{"sender_name": "A"}]'])) == [
        Skipped(
            "file",
            "This JSON file is a list, not the object an Instagram or Facebook message file "
            "holds; it was not read.",
        )
    ]


def test_it_gives_the_same_items_however_the_file_is_cut_into_chunks():
    data = fixture("facebook_message_1.json")
    whole = collect(meta.parse([data]))

    for size in (1, 2, 16, 17, 200):
        assert collect(meta.parse(pieces(data, size))) == whole
