"""Locker imports cannot fill the disk (issue 20, item 4): a total limit on what one import
unpacks, a quota per locker, both enforced as the bytes stream in; refused cleanly, with no
partial ciphertext left, and the page says what the limits are."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence import importing
from safelight.evidence.importers import whatsapp
from safelight.evidence.models import EvidenceFile, MessageImport, MessagePage

CHAT = b"".join(b"02/03/2026, 21:%02d - Sam: message number %d\n" % (i % 60, i)
                for i in range(200))


def export_zip(media_bytes: int, parts: int = 4) -> bytes:
    """A WhatsApp export whose media compress very well (under the ratio check's radar)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", CHAT)
        for number in range(parts):
            archive.writestr(f"IMG-2026030{number}-WA0001.jpg", b"\x00" * (media_bytes // parts))
    return out.getvalue()


def post_export(client, data: bytes):
    return client.post("/locker/imports/new/",
                       {"export": SimpleUploadedFile("WhatsApp Chat with Sam.zip", data)})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_files(tmp_path) -> list:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_it_refuses_an_import_that_unpacks_past_the_limit_and_keeps_nothing(
        locker_client, monkeypatch, tmp_path):
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 2 * 1024 * 1024)
    data = export_zip(4 * 1024 * 1024)
    assert len(data) < 100_000
    response = post_export(locker_client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "unpacks to more than 2.0\xa0MB" in page and "nothing" in page
    assert not MessageImport.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not MessagePage.objects.exists()
    assert stored_files(tmp_path) == []  # no partial ciphertext, no upload left behind


@pytest.mark.django_db
def test_it_refuses_an_import_past_the_lockers_quota(locker_client, settings, tmp_path):
    settings.SAFELIGHT_LOCKER_QUOTA_BYTES = 3 * 1024 * 1024
    assert post_export(locker_client, export_zip(1024 * 1024)).status_code == 302
    kept = len(stored_files(tmp_path))
    response = post_export(locker_client, export_zip(2 * 1024 * 1024))
    assert response.status_code == 200
    assert "does not fit in your locker" in response.content.decode()
    assert MessageImport.objects.count() == 1
    assert len(stored_files(tmp_path)) == kept


@pytest.mark.django_db
def test_the_import_page_says_what_the_limits_are(locker_client, settings):
    settings.SAFELIGHT_LOCKER_QUOTA_BYTES = 64 * 1024 * 1024
    page = locker_client.get("/locker/imports/new/").content.decode()
    assert "One import can unpack to at most 256.0\xa0MB" in page
    assert "Your locker can hold 64.0\xa0MB in all" in page


def test_the_whatsapp_reader_stops_at_a_total_whatever_the_ratio(monkeypatch):
    monkeypatch.setattr(whatsapp, "BOMB_MAX_BYTES", 1024 * 1024)
    data = export_zip(2 * 1024 * 1024)
    items = list(whatsapp.parse_zip(iter([data])))
    reasons = [getattr(item, "reason", "") for item in items]
    assert any("zip bomb" in reason for reason in reasons)
