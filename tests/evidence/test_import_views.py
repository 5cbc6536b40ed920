"""Importing an export from the locker's page: counts first, a warning before flagged text."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence import reading
from safelight.evidence.bundle_content import CATEGORIES
from safelight.evidence.models import EvidenceFile, MessageImport, MessagePage

FIXTURES = Path(__file__).parent / "fixtures"
CHAT = (
    b"02/03/2026, 21:40 - Sam: I know where you live and I will hurt you\n"
    b"02/03/2026, 21:41 - Sam: you stupid worthless bitch\n"
    b"02/03/2026, 21:42 - Alex: Please stop writing to me\n"
    b"02/03/2026, 21:43 - Sam: why were you at the station at 5? who were you with\n"
    b"03/03/2026, 08:00 - Alex: Good morning\n"
)


def post_export(client, name: str, data: bytes | None = None):
    data = (FIXTURES / name).read_bytes() if data is None else data
    return client.post("/locker/imports/new/",
                       {"export": SimpleUploadedFile(name, data)})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_it_imports_a_whatsapp_export_and_shows_counts_before_any_message(
        locker, locker_client):
    response = post_export(locker_client, "WhatsApp Chat with Sam.txt", CHAT)
    row = MessageImport.objects.get()
    assert response["Location"] == f"/locker/imports/{row.pk}/"
    page = locker_client.get(response["Location"]).content.decode()
    assert 'id="flag-counts"' in page
    assert "hurt you" not in page and "worthless" not in page  # counts only, no text
    opened, _ = locker
    view = reading.import_view(opened, row)
    assert view.messages == 5
    assert view.counts["threat"] >= 1 and view.counts["insult"] >= 1
    assert view.summary["sha256"] == hashlib.sha256(CHAT).hexdigest()
    # The export itself is kept, as the original.
    export = EvidenceFile.objects.get(message_import=row)
    assert reading.file_view(opened, export).role == "export"


@pytest.mark.django_db
def test_it_warns_before_showing_a_flagged_category(locker, locker_client):
    post_export(locker_client, "chat.txt", CHAT)
    opened, _ = locker
    row = MessageImport.objects.get()
    view = reading.import_view(opened, row)
    category = next(c for c, numbers in view.summary["flagged"].items() if numbers)
    # The address names the group by number, never by its name (browsers keep addresses).
    group = CATEGORIES.index(category) + 1
    url = f"/locker/imports/{row.pk}/messages/?group={group}"
    assert f'href="{url}"' in locker_client.get(f"/locker/imports/{row.pk}/").content.decode()
    warning = locker_client.get(url).content.decode()
    assert "Before you read" in warning
    flagged_text = reading.messages(opened, row, view.summary["flagged"][category][:1])[0]["x"]
    assert flagged_text.split("\n")[0] not in warning
    shown = locker_client.get(url + "&show=1").content.decode()
    assert flagged_text.split("\n")[0].replace("'", "&#x27;") in shown


@pytest.mark.django_db
def test_it_folds_flagged_messages_in_the_list_of_all(locker, locker_client):
    post_export(locker_client, "chat.txt", CHAT)
    row = MessageImport.objects.get()
    page = locker_client.get(f"/locker/imports/{row.pk}/messages/").content.decode()
    assert "<details><summary>Flagged:" in page
    assert "Good morning" in page


@pytest.mark.django_db
def test_it_keeps_media_from_a_zip_export(locker, locker_client):
    post_export(locker_client, "whatsapp_android.zip")
    opened, _ = locker
    row = MessageImport.objects.get()
    roles = sorted(reading.file_view(opened, f).role for f in row.files.all())
    assert "media" in roles and "export" in roles


@pytest.mark.django_db
def test_it_reports_what_it_skipped(locker, locker_client):
    post_export(locker_client, "whatsapp_garbage_line.txt")
    row = MessageImport.objects.get()
    page = locker_client.get(f"/locker/imports/{row.pk}/").content.decode()
    assert "What could not be read" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), [
    ("holiday.jpg", b"\xff\xd8\xff\xe0 not an export", "is not an export Safelight can read"),
    ("chat.txt", b"", "The submitted file is empty"),
    ("chat.txt", b"just some notes\nnothing like a chat\n", "is not an export Safelight can"),
    ("mail.mbox", b"\x00\x01\x02 noise", "is not an export Safelight can read"),
])
def test_it_refuses_what_it_cannot_read_and_stores_nothing(locker_client, tmp_path, name, data,
                                                           message):
    page = post_export(locker_client, name, data).content.decode()
    assert message in page
    assert not MessageImport.objects.exists()
    assert not MessagePage.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not [p for p in Path(tmp_path).rglob("*") if p.is_file()]  # nothing left on disk


@pytest.mark.django_db
def test_it_keeps_no_copy_of_a_damaged_media_file(locker, locker_client, tmp_path):
    post_export(locker_client, "whatsapp_bad_crc.zip")
    opened, _ = locker
    row = MessageImport.objects.filter().first()
    if row is None:  # nothing readable at all: refused, and nothing stored
        assert not EvidenceFile.objects.exists()
        return
    view = reading.import_view(opened, row)
    damaged = {ref for ref, _reason in view.summary["skip_reasons"]}
    kept = {reading.file_view(opened, f).name for f in row.files.all()}
    assert not damaged & kept
    assert view.summary["skipped"] >= 1
