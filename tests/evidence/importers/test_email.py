import datetime
import tracemalloc

from safelight.evidence.importers import email
from safelight.evidence.importers.base import Skipped

from . import Media, assert_hashed, collect, fixture, messages, pieces, skipped

UTC = datetime.UTC
PLUS_ONE = datetime.timezone(datetime.timedelta(hours=1))


def test_it_reads_an_eml_with_an_attachment():
    data = fixture("email_with_attachment.eml")

    items = collect(email.parse_eml(pieces(data, 100)))

    (message,) = messages(items)
    assert message.sender == "Sam Taylor <sam.t@example.net>"
    assert message.sent_at == datetime.datetime(2024, 12, 31, 21, 41, 5, tzinfo=UTC)
    assert message.text == (
        "I saw you at the café with him.\nI've attached what I'm sending your boss."
    )
    assert message.attachments == ["letter.pdf"]
    assert message.reference == "email"
    assert message.raw == data
    assert_hashed(message)
    assert items[1] == Media(
        "letter.pdf", b"%PDF-1.4\n% synthetic test document, not a real letter\n%%EOF\n"
    )
    assert len(items) == 2


def test_it_reads_an_mbox():
    items = collect(email.parse_mbox([fixture("mailbox.mbox")]))

    assert [(m.reference, m.sender, m.sent_at, m.text, m.attachments) for m in items] == [
        (
            "mbox message 1",
            "Sam Taylor <sam.t@example.net>",
            datetime.datetime(2024, 12, 31, 21, 41, 5, tzinfo=UTC),
            # ">From" lines lose one ">" (mboxrd)
            "Answer your phone.\nFrom now on you tell me where you go.\n>From the top, again.",
            [],
        ),
        (
            "mbox message 2",
            "Renée Dupré <hr@hartley-co.example>",  # an ISO-8859-1 encoded word
            datetime.datetime(2025, 1, 2, 9, 15, tzinfo=PLUS_ONE),
            "Hello Robin,\n\nCan we meet on Friday at 10 am?",  # HTML only: no tags, style, script
            [],
        ),
        (
            "mbox message 3",
            "Jordan Lee <jordan.lee@example.com>",
            None,  # "Date: not a date"
            "You'll regret this.",
            [],
        ),
    ]


def test_it_keeps_an_mbox_messages_bytes_without_its_from_line_and_separator():
    data = fixture("mailbox.mbox")
    first, second, third = messages(email.parse_mbox([data]))

    start = data.index(b"Date: Tue, 31 Dec 2024")
    assert first.raw == data[start : data.index(b"\nFrom hr@")]
    assert first.raw.endswith(b">>From the top, again.\n")  # quoting kept in raw
    start = data.index(b"Date: Thu, 02 Jan 2025")
    assert second.raw == data[start : data.index(b"\nFrom jordan.lee@")]
    assert third.raw == data[data.index(b"Date: not a date") : -1]
    for message in (first, second, third):
        assert_hashed(message)
    assert first.sha256.hex() == (
        "45b7659ddd4a85ddddf28e8cdf36048b3da0abd31e6a4501c20efbbc46738367"
    )


def test_it_gives_the_same_items_however_the_mbox_is_cut_into_chunks():
    data = fixture("mailbox.mbox")
    whole = collect(email.parse_mbox([data]))

    for size in (1, 2, 5, 6, 7, 64, 500):
        assert collect(email.parse_mbox(pieces(data, size))) == whole


def test_it_reads_an_mbox_with_crlf_line_ends():
    data = fixture("mailbox.mbox").replace(b"\n", b"\r\n")

    items = messages(email.parse_mbox(pieces(data, 3)))

    assert items[0].text == (
        "Answer your phone.\nFrom now on you tell me where you go.\n>From the top, again."
    )
    assert items[0].raw.endswith(b">>From the top, again.\r\n")
    assert len(items) == 3


def test_it_skips_text_before_the_first_from_line():
    data = b"garbage\n" + fixture("mailbox.mbox")

    items = collect(email.parse_mbox([data]))

    assert items[0] == Skipped(
        "start of file",
        'Text before the first "From " line of the mailbox is not part of any message; it was '
        "skipped.",
    )
    assert len(messages(items)) == 3


def test_it_skips_a_message_over_the_limit_in_bounded_memory(monkeypatch):
    monkeypatch.setattr(email, "MAX_MESSAGE_BYTES", 1 << 20)
    line = b"x" * 1023 + b"\n"

    def chunks():
        yield b"From a@example.org Sat Jan  4 23:59:59 2025\nSubject: big\n\n"
        for _ in range(32 * 1024):  # 32 MiB of body
            yield line * 64
        yield b"\nFrom b@example.org Sat Jan  4 23:59:59 2025\nFrom: B <b@example.org>\n\nsmall\n"

    tracemalloc.start()
    try:
        items = collect(email.parse_mbox(chunks()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert items[0] == Skipped(
        "mbox message 1",
        "This email is larger than 50 MB; it was skipped. Save its attachments separately and add "
        "them as files.",
    )
    assert [(m.reference, m.sender, m.text) for m in items[1:]] == [
        ("mbox message 2", "B <b@example.org>", "small")
    ]
    assert peak < 4 << 20


def test_it_skips_an_eml_over_the_limit(monkeypatch):
    monkeypatch.setattr(email, "MAX_MESSAGE_BYTES", 500)

    items = collect(email.parse_eml(pieces(fixture("email_with_attachment.eml"), 100)))

    assert skipped(items) == items
    assert items[0].reference == "file"


def test_it_turns_html_into_text():
    markup = "<p>One&nbsp;two</p><div>three<br>four</div><script>x()</script><style>p{}</style>"

    assert email.html_to_text(markup) == "One two\n\nthree\nfour"


def test_it_reads_raw_utf8_headers_and_unknown_charsets():
    data = (
        "From: Zoë <zoe@example.org>\n"
        "Date: Sat, 04 Jan 2025 10:00:00 +0000\n"
        "Content-Type: text/plain; charset=x-unknown\n\n"
        "caf\u00e9\n"
    ).encode()

    (message,) = messages(email.parse_eml([data]))

    assert (message.sender, message.text) == ("Zoë <zoe@example.org>", "café")
