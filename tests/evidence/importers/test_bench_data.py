from collections import Counter

from bench.evidence_data import write_mbox, write_whatsapp_export
from safelight.evidence.importers import email, whatsapp
from safelight.evidence.importers.base import MediaFile, Message, Skipped

from . import collect, messages, pieces


def test_it_writes_a_whatsapp_export_that_the_importer_reads_back(tmp_path):
    path = tmp_path / "chat.txt"

    info = write_whatsapp_export(path, 3000, seed=7)

    data = path.read_bytes()
    items = collect(whatsapp.parse(pieces(data, 65536)))
    assert info["bytes"] == len(data)
    assert sum(info["categories"].values()) == 3000
    assert len(items) == len(messages(items)) == 3000
    assert sum(m.system for m in messages(items)) == info["categories"]["system"]
    assert sum(bool(m.attachments) for m in messages(items)) > 30
    assert sum("\n" in m.text for m in messages(items)) > 100  # multi-line messages
    assert len({m.sender for m in messages(items)}) == 5  # a cast of four, and "" for the app
    assert all(m.sent_at is not None for m in messages(items))
    times = [m.sent_at for m in messages(items)]
    assert times == sorted(times)
    assert 0.85 < info["categories"]["neutral"] / 3000 < 0.95


def test_it_writes_the_same_export_for_the_same_seed(tmp_path):
    write_whatsapp_export(tmp_path / "a.txt", 500, seed=3)
    write_whatsapp_export(tmp_path / "b.txt", 500, seed=3)
    write_whatsapp_export(tmp_path / "c.txt", 500, seed=4)

    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    assert (tmp_path / "a.txt").read_bytes() != (tmp_path / "c.txt").read_bytes()


def test_it_writes_an_mbox_that_the_importer_reads_back(tmp_path):
    path = tmp_path / "mail.mbox"

    info = write_mbox(path, 300_000, seed=5)

    data = path.read_bytes()
    assert info["bytes"] == len(data) >= 300_000
    kinds = Counter(type(item) for item in email.parse_mbox(pieces(data, 65536)))
    assert kinds[Skipped] == 0
    assert kinds[Message] == info["messages"]
    assert kinds[MediaFile] == info["attachments"] > 0
    found = messages(collect(email.parse_mbox([data])))
    assert all(m.sender and m.sent_at and m.text for m in found)
    assert any(m.text.startswith("From ") or "\nFrom " in m.text for m in found)  # unquoted
