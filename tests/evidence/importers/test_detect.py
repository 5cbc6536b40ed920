import logging

import pytest

from safelight.evidence import importers
from safelight.evidence.importers import FORMATS, detect, parse
from safelight.evidence.importers.base import Message, Skipped

from . import collect, fixture


@pytest.mark.parametrize(
    ("filename", "name", "key"),
    [
        ("WhatsApp Chat with Sam Taylor.txt", "whatsapp_android_12h.txt", "whatsapp_txt"),
        ("WhatsApp Chat with Jordan.txt", "whatsapp_android_24h.txt", "whatsapp_txt"),
        ("_chat.txt", "whatsapp_ios_12h.txt", "whatsapp_txt"),
        ("_chat.txt", "whatsapp_ios_24h.txt", "whatsapp_txt"),
        ("WhatsApp Chat - Flat 3.txt", "whatsapp_group.txt", "whatsapp_txt"),
        ("WhatsApp Chat - Sam Taylor.zip", "whatsapp_android.zip", "whatsapp_zip"),
        ("WhatsApp Chat - Sam Taylor.zip", "whatsapp_ios.zip", "whatsapp_zip"),
        ("sms-20250115100000.xml", "sms_backup.xml", "sms_backup"),
        ("Your behaviour.eml", "email_with_attachment.eml", "eml"),
        ("All mail Including Spam and Trash.mbox", "mailbox.mbox", "mbox"),
        ("result.json", "telegram_result.json", "telegram"),
        ("result.json", "telegram_all_chats.json", "telegram"),
        ("message_1.json", "instagram_message_1.json", "meta"),
        ("message_1.json", "facebook_message_1.json", "meta"),
    ],
)
def test_it_detects_each_format_from_name_and_first_bytes(filename, name, key):
    assert detect(filename, fixture(name)[:4096]) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("whatsapp_android_12h.txt", "whatsapp_txt"),
        ("whatsapp_android.zip", "whatsapp_zip"),
        ("sms_backup.xml", "sms_backup"),
        ("email_with_attachment.eml", "eml"),
        ("mailbox.mbox", "mbox"),
        ("telegram_result.json", "telegram"),
        ("telegram_all_chats.json", "telegram"),
        ("instagram_message_1.json", "meta"),
    ],
)
def test_it_detects_each_format_from_its_bytes_alone(name, key):
    assert detect("upload.bin", fixture(name)[:4096]) == key


def test_it_goes_by_the_name_for_an_email_that_could_be_either():
    head = b"From: Ann <ann@example.org>\nSubject: hi\n\n"

    assert detect("saved.eml", head) == "eml"
    assert detect("saved.mbox", head) == "mbox"
    assert detect("saved.eml", b"From ann@example.org Tue Dec 31 21:41:05 2024\n" + head) == "eml"


@pytest.mark.parametrize(
    ("filename", "head"),
    [
        ("notes.txt", b"Shopping list: milk, bread\n"),
        ("noise.bin", fixture("noise.bin")),
        ("page.xml", b"<?xml version='1.0'?><html></html>"),
        ("data.json", b'{"colour": "red"}'),
        ("nothing", b""),
    ],
)
def test_it_says_none_when_no_importer_knows_the_file(filename, head):
    assert detect(filename, head) is None


def test_it_goes_by_the_name_for_an_empty_file():
    assert detect("WhatsApp Chat with Ann.txt", b"") == "whatsapp_txt"
    assert detect("result.json", b"") == "telegram"
    assert detect("message_3.json", b"") == "meta"


def test_it_lists_every_format_with_a_label_and_an_importer():
    assert set(FORMATS) == {
        "whatsapp_txt", "whatsapp_zip", "sms_backup", "eml", "mbox", "telegram", "meta"
    }
    for label, importer in FORMATS.values():
        assert label and callable(importer)


def test_it_parses_with_the_importer_of_a_format():
    items = collect(parse("whatsapp_txt", [fixture("whatsapp_group.txt")]))

    assert len(items) == 8
    assert items[4].sender == "Alex"


def test_it_refuses_an_unknown_format_key():
    with pytest.raises(KeyError):
        list(parse("myspace", [b""]))


def test_it_ends_with_a_skipped_when_an_importer_fails_and_logs_no_content(monkeypatch, caplog):
    def broken(chunks):
        for chunk in chunks:
            yield Message("Ann", None, "secret words", [], b"", b"", False, "line 1")
            raise RuntimeError(chunk.decode())

    monkeypatch.setitem(FORMATS, "whatsapp_txt", ("broken", broken))

    with caplog.at_level(logging.ERROR, logger=importers.__name__):
        items = list(parse("whatsapp_txt", [b"secret bytes"]))

    assert items[1] == Skipped(
        "file",
        "The import stopped at a problem Safelight did not expect; what came before it was "
        "imported.",
    )
    assert "RuntimeError" in caplog.text
    assert "secret" not in caplog.text


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("whatsapp_txt", "whatsapp_group.txt"),
        ("whatsapp_zip", "whatsapp_android.zip"),
        ("sms_backup", "sms_backup.xml"),
        ("eml", "email_with_attachment.eml"),
        ("mbox", "mailbox.mbox"),
        ("telegram", "telegram_result.json"),
        ("meta", "facebook_message_1.json"),
    ],
)
def test_it_lets_an_error_of_the_chunks_themselves_through(key, name):
    data = fixture(name)

    def chunks():
        yield data[: len(data) // 2]
        raise ValueError("the stream could not be decrypted")

    with pytest.raises(ValueError, match="decrypted"):
        collect(parse(key, chunks()))
