import datetime

import pytest

from safelight.evidence.importers import whatsapp
from safelight.evidence.importers.base import Message, Skipped

from . import Media, assert_hashed, collect, fixture, messages, pieces, skipped

D = datetime.datetime
E2E = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them."
)


def summary(items):
    return [
        (m.reference, m.sender, m.sent_at, m.text, m.attachments, m.system) for m in messages(items)
    ]


def test_it_reads_android_12_hour_lines_with_a_narrow_no_break_space():
    items = collect(whatsapp.parse([fixture("whatsapp_android_12h.txt")]))

    assert summary(items) == [
        ("line 1", "", D(2024, 12, 31, 21, 41), E2E + " Tap to learn more.", [], True),
        ("line 2", "Sam Taylor", D(2024, 12, 31, 21, 41), "Where are you?", [], False),
        ("line 3", "Robin", D(2024, 12, 31, 21, 43), "At Maria's, back by 11", [], False),
        (
            "line 4",
            "Sam Taylor",
            D(2024, 12, 31, 21, 44),
            "Why were you at Maria's?\nAnswer me.\nI know you saw this.",
            [],
            False,
        ),
        (
            "line 7",
            "Sam Taylor",
            D(2024, 12, 31, 23, 58),
            "Look who I saw outside your work",
            ["IMG-20241231-WA0003.jpg"],
            False,
        ),
        ("line 9", "Robin", D(2025, 1, 1, 0, 0), "<Media omitted>", [], False),
        ("line 10", "Sam Taylor", D(2025, 1, 1, 12, 15), "Happy new year \U0001f642", [], False),
    ]
    assert skipped(items) == []


def test_it_keeps_each_messages_lines_as_raw_and_hashes_them():
    data = fixture("whatsapp_android_12h.txt")
    items = messages(collect(whatsapp.parse([data])))

    assert items[3].raw == (
        "12/31/24, 9:44\u202fPM - Sam Taylor: Why were you at Maria's?\nAnswer me.\n"
        "I know you saw this.\n"
    ).encode()
    assert items[3].sha256.hex() == (
        "816b079ae21cbe4be7ea32192155cce1adbf3b787f80f8ae6e800aa69e182a08"
    )
    assert items[1].raw == b"12/31/24, 9:41\xe2\x80\xafPM - Sam Taylor: Where are you?\n"
    assert items[1].sha256.hex() == (
        "3efcb3ca9b35a03ccf317f8e845b122d3a29a0f54012416bcfc7587133313d9d"
    )
    for message in items:
        assert_hashed(message)
    assert b"".join(m.raw for m in items) == data


def test_it_reads_android_24_hour_day_first_dates_decided_by_a_later_date():
    items = collect(whatsapp.parse([fixture("whatsapp_android_24h.txt")]))

    # 03/01 is ambiguous; 14/01, five lines on, makes the whole file day first
    assert summary(items) == [
        ("line 1", "Jordan", D(2025, 1, 3, 8, 5), "Good morning", [], False),
        ("line 2", "Robin", D(2025, 1, 3, 8, 6), "Morning! Are we still on for Friday?", [], False),
        (
            "line 3",
            "Jordan",
            D(2025, 1, 3, 19, 30),
            "You'll regret leaving me.\nEveryone will know what you did.",
            [],
            False,
        ),
        ("line 5", "", D(2025, 1, 3, 19, 31), "You deleted this message", [], True),
        ("line 6", "Jordan", D(2025, 1, 14, 23, 59), "Reply.", [], False),
    ]


def test_it_reads_ios_12_hour_lines_with_left_to_right_marks_and_attachments():
    data = fixture("whatsapp_ios_12h.txt")
    items = collect(whatsapp.parse([data]))

    assert summary(items) == [
        ("line 1", "", D(2024, 12, 31, 21, 41, 5), E2E, [], True),
        ("line 2", "Sam Taylor", D(2024, 12, 31, 21, 41, 30), "Send me your location", [], False),
        ("line 3", "Robin", D(2024, 12, 31, 21, 45), "No", [], False),
        (
            "line 4",
            "Sam Taylor",
            D(2024, 12, 31, 21, 47, 12),
            "",
            ["00000012-PHOTO-2024-12-31-21-47-12.jpg"],
            False,
        ),
        (
            "line 5",
            "+44 7700 900123",
            D(2025, 1, 13, 0, 0, 1),
            "I'm outside\nopen the door",
            [],
            False,
        ),
    ]
    first = messages(items)[0]
    assert first.raw.startswith("\u200e[12/31/24, 9:41:05 PM] Sam Taylor: \u200e".encode())
    assert b"".join(m.raw for m in messages(items)) == data


def test_it_reads_ios_24_hour_lines_with_crlf_line_ends():
    data = fixture("whatsapp_ios_24h.txt")
    items = collect(whatsapp.parse([data]))

    assert summary(items) == [
        ("line 1", "", D(2024, 12, 31, 21, 41, 5), E2E, [], True),
        ("line 2", "Ann Example", D(2024, 12, 31, 21, 41, 30), "Café at 8?", [], False),
        ("line 3", "Robin", D(2024, 12, 31, 21, 42), "Yes\nsee you there", [], False),
        (
            "line 5",
            "Ann Example",
            D(2025, 1, 1, 0, 0, 10),
            "",
            ["00000015-AUDIO-2025-01-01-00-00-10.opus"],
            False,
        ),
    ]
    assert messages(items)[2].raw == b"[31/12/2024, 21:42:00] Robin: Yes\r\nsee you there\r\n"
    assert b"".join(m.raw for m in messages(items)) == data


def test_it_reads_a_group_chats_system_lines():
    items = collect(whatsapp.parse([fixture("whatsapp_group.txt")]))

    assert [(m.sender, m.text, m.system) for m in messages(items)] == [
        ("", E2E + " Tap to learn more.", True),
        ("", "Alex created group \u201cFlat 3\u201d", True),
        ("", "Alex added Robin", True),
        ("", "Alex changed the group name from \u201cFlat 3\u201d to \u201cFlat 3: bills\u201d",
         True),
        ("Alex", "Rent is due Friday", False),
        ("Priya", "\U0001f44d", False),
        ("", "Priya left", True),
        ("Alex", "Robin lives at 14 Elm Road, Leeds LS6 2AB, in case anyone wants to visit", False),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("31.12.24, 21:41 - Ann: hi\n", D(2024, 12, 31, 21, 41)),  # German dots
        ("2024-12-31, 21:41 - Ann: hi\n", D(2024, 12, 31, 21, 41)),  # year first
        ("31/12/2024 21:41 - Ann: hi\n", D(2024, 12, 31, 21, 41)),  # no comma
        ("12/31/24, 9:41 p. m. - Ann: hi\n", D(2024, 12, 31, 21, 41)),  # Spanish p. m.
        ("12/31/24, 12:05 AM - Ann: hi\n", D(2024, 12, 31, 0, 5)),  # 12 AM is midnight
        ("12/31/24, 12:05 PM - Ann: hi\n", D(2024, 12, 31, 12, 5)),  # 12 PM is noon
        ("[31/12/2024, 21:41:05] Ann: hi\n", D(2024, 12, 31, 21, 41, 5)),
        ("\ufeff31/12/2024, 21:41 - Ann: hi\n", D(2024, 12, 31, 21, 41)),  # byte order mark
    ],
)
def test_it_reads_other_timestamp_forms(line, expected):
    (message,) = messages(whatsapp.parse([line.encode()]))

    assert (message.sender, message.sent_at, message.text) == ("Ann", expected, "hi")


def test_it_takes_ambiguous_12_hour_two_digit_year_files_as_month_first():
    data = b"01/02/24, 9:41 PM - Ann: hi\n01/03/24, 9:42 PM - Bo: yo\n"

    assert [m.sent_at for m in messages(whatsapp.parse([data]))] == [
        D(2024, 1, 2, 21, 41),
        D(2024, 1, 3, 21, 42),
    ]


def test_it_takes_ambiguous_24_hour_files_as_day_first():
    data = b"01/02/2024, 21:41 - Ann: hi\n"

    assert messages(whatsapp.parse([data]))[0].sent_at == D(2024, 2, 1, 21, 41)


def test_it_keeps_a_message_whose_date_is_impossible_without_a_time():
    data = b"31/12/2024, 21:41 - Ann: hi\n31/02/2024, 10:00 - Ann: which day?\n"

    first, second = messages(whatsapp.parse([data]))

    assert first.sent_at == D(2024, 12, 31, 21, 41)
    assert (second.sent_at, second.text) == (None, "which day?")


def test_it_skips_text_before_the_first_message():
    data = b"Chat history\n\n31/12/2024, 21:41 - Ann: hi\n"

    items = collect(whatsapp.parse([data]))

    assert items[0] == Skipped(
        "line 1",
        "This line is not part of a message (it comes before the first line with a date and "
        "time).",
    )
    assert [m.text for m in messages(items)] == ["hi"]


def test_it_gives_the_same_items_however_the_file_is_cut_into_chunks():
    data = fixture("whatsapp_ios_12h.txt") + fixture("whatsapp_android_12h.txt")
    whole = collect(whatsapp.parse([data]))

    for size in (1, 2, 3, 7, 64, 1000):
        assert collect(whatsapp.parse(pieces(data, size))) == whole


def test_it_reads_an_android_zip_with_the_chat_before_its_photo():
    items = collect(whatsapp.parse_zip(pieces(fixture("whatsapp_android.zip"), 100)))

    expected = collect(whatsapp.parse([fixture("whatsapp_android_12h.txt")]))
    assert items[:-1] == expected
    assert items[-1] == Media("IMG-20241231-WA0003.jpg", fixture("tiny.jpg"))
    assert "IMG-20241231-WA0003.jpg" in messages(items)[4].attachments


def test_it_reads_an_ios_zip_with_the_photo_before_the_chat():
    items = collect(whatsapp.parse_zip(pieces(fixture("whatsapp_ios.zip"), 64)))

    assert items[0] == Media("00000012-PHOTO-2024-12-31-21-47-12.jpg", fixture("tiny.jpg"))
    assert items[1:] == collect(whatsapp.parse([fixture("whatsapp_ios_12h.txt")]))
    assert messages(items)[3].attachments == ["00000012-PHOTO-2024-12-31-21-47-12.jpg"]


def test_it_reads_a_zip_whose_media_is_not_consumed_by_the_caller():
    items = list(whatsapp.parse_zip([fixture("whatsapp_ios.zip")]))  # MediaFile chunks left unread

    assert [type(item).__name__ for item in items] == ["MediaFile"] + ["Message"] * 5


def test_it_says_when_a_zip_holds_no_chat():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("IMG-1.jpg", fixture("tiny.jpg"))

    items = collect(whatsapp.parse_zip([buffer.getvalue()]))

    assert items == [
        Media("IMG-1.jpg", fixture("tiny.jpg")),
        Skipped("archive", "The archive holds no WhatsApp chat (.txt file)."),
    ]


def test_it_yields_only_messages_and_skipped_for_a_txt():
    items = list(whatsapp.parse([fixture("whatsapp_invalid_utf8.txt")]))

    assert all(isinstance(item, Message | Skipped) for item in items)


def test_it_says_when_a_text_file_is_not_a_chat():
    items = collect(whatsapp.parse(pieces(b"Shopping list\nmilk\nbread\n", 4)))

    assert items == [
        Skipped(
            "file",
            "This does not look like a WhatsApp chat export: no line in it (or in its first 4 MB) "
            "starts with a date and time.",
        )
    ]
