from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from safelight.intake.models import DraftFile
from safelight.reports import storage
from safelight.reports.models import Attachment, Report, ReportKey
from safelight.reports.sealing import open_json, unb64
from tests.intake import flow, samples
from tests.intake.conftest import with_keys  # noqa: F401

FILE_STEP = 5


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(autouse=True)
def _empty_media():
    for path in stored_files():
        path.unlink()
    yield


def post_files(client, channel, files, **extra):
    return client.post(
        flow.step_url(channel, FILE_STEP), {"q_evidence": files, "go": "stay", **extra}
    )


def plaintext_of(attachment: Attachment, report_key: bytes) -> bytes:
    file_key = unb64(
        open_json(
            report_key,
            attachment.sealed_key,
            purpose="report",
            object_id=attachment.pk,
            field="file-key",
        )
    )
    return storage.read_bytes(attachment.storage_name, file_key)


def test_it_removes_gps_from_a_photo_by_default(client, channel):
    flow.start(client, channel)
    response = post_files(client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())])
    assert response.status_code == 302
    page = client.get(flow.step_url(channel, FILE_STEP)).content.decode()
    assert "beach.jpg" in page
    assert "Hidden details removed:" in page
    assert "GPS" in page
    (stored,) = stored_files()
    raw = stored.read_bytes()
    assert b"PhoneMaker" not in raw and not raw.startswith(b"\xff\xd8")


def test_it_keeps_the_details_when_the_person_chooses_to(client, channel, hana):
    flow.start(client, channel)
    post_files(client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())], keep_details="yes")
    page = client.get(flow.step_url(channel, FILE_STEP)).content.decode()
    assert "Hidden details kept as you chose:" in page


def test_it_stores_the_cleaned_file_with_the_report(client, channel, hana):
    from safelight.crypto import open_sealed

    flow.start(client, channel)
    post_files(
        client,
        channel,
        [flow.upload("beach.jpg", samples.gps_jpeg()), flow.upload("chat.png", samples.png())],
    )
    client.post(flow.review_url(channel))
    report = Report.objects.get()
    assert report.attachments.count() == 2
    assert not DraftFile.objects.exists()
    key = ReportKey.objects.get(report=report, handler=hana)
    from safelight.accounts.actions import sign_in_handler
    from tests.conftest import PASSWORD

    private = sign_in_handler(handler=hana, password=PASSWORD)
    report_key = open_sealed(private, bytes(key.sealed_report_key))
    jpeg = next(
        a for a in report.attachments.all() if plaintext_of(a, report_key)[:2] == b"\xff\xd8"
    )
    exif = samples.exif_of(plaintext_of(jpeg, report_key))
    assert not exif.get_ifd(samples.GPS_IFD)
    assert samples.MAKE not in exif
    assert len(stored_files()) == 2


def test_it_refuses_an_oversized_file_and_keeps_everything_else(client, channel):
    channel.max_file_mb = 1
    channel.save()
    flow.start(client, channel)
    big = b"\xff\xd8\xff" + b"\x00" * (1024 * 1024 + 10)
    response = client.post(
        flow.step_url(channel, FILE_STEP),
        {
            "q_evidence": [flow.upload("huge.jpg", big)],
            "q_wanted": "That it stops.",
            "go": "next",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“huge.jpg” is larger than 1.0\xa0MB" in page
    assert "That it stops." in page
    assert not DraftFile.objects.exists()
    assert stored_files() == []


def test_it_cuts_off_a_file_past_the_server_limit(client, channel, settings):
    settings.SAFELIGHT_MAX_UPLOAD_BYTES = 1000
    flow.start(client, channel)
    response = post_files(client, channel, [flow.upload("a.jpg", samples.gps_jpeg() * 3)])
    assert "is larger than" in response.content.decode()
    assert stored_files() == []


def test_it_refuses_files_beyond_the_report_limit(client, channel):
    channel.max_report_mb = 1
    channel.save()
    flow.start(client, channel)
    photo = samples.noise_jpeg()
    count = (1024 * 1024) // len(photo) + 2
    response = post_files(client, channel, [flow.upload(f"p{i}.jpg", photo) for i in range(count)])
    assert "all files of one report together" in response.content.decode()
    assert sum(f.size for f in DraftFile.objects.all()) <= 1024 * 1024
    assert len(stored_files()) == DraftFile.objects.count()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.jpg", samples.gps_jpeg()[:200], "damaged"),
        ("program.exe", b"MZ\x90\x00" + bytes(200), "program.exe"),
        ("empty.pdf", b"", "empty.pdf"),
    ],
)
def test_it_explains_a_broken_or_unsupported_file(client, channel, name, data, message):
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_what_happened": "Kept text"})
    response = post_files(client, channel, [flow.upload(name, data)], q_wanted="Keep me")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Keep me" in page
    assert not DraftFile.objects.exists()
    assert stored_files() == []
    assert "Kept text" in client.get(flow.step_url(channel, 1)).content.decode()


def test_a_storage_error_while_cleaning_leaves_no_rows_and_no_files(client, channel, monkeypatch):
    flow.start(client, channel)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "write_bytes", disk_full)
    response = post_files(
        client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())], q_wanted="Still here"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "We could not store “beach.jpg” just now." in page
    assert "Still here" in page
    assert not DraftFile.objects.exists()
    assert stored_files() == []


def test_a_storage_error_during_upload_leaves_no_files(client, channel, monkeypatch):
    flow.start(client, channel)
    original = storage.EncryptedWriter.write

    def fail_after_first_chunk(self, data):
        if self.plaintext_size:
            raise OSError(5, "I/O error")
        original(self, data)

    monkeypatch.setattr(storage.EncryptedWriter, "write", fail_after_first_chunk)
    response = post_files(client, channel, [flow.upload("beach.jpg", samples.noise_jpeg())])
    assert "We could not store “beach.jpg” just now." in response.content.decode()
    assert stored_files() == []


def test_a_submission_that_fails_halfway_stores_nothing_and_loses_nothing(channel, monkeypatch):
    client = Client(raise_request_exception=False)
    flow.start(client, channel)
    flow.answer(client, channel, 1, {"q_what_happened": "Text that must survive"})
    post_files(client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())])
    files_before = stored_files()

    def storage_down(*args, **kwargs):
        raise OSError("storage went away")

    monkeypatch.setattr(ReportKey.objects, "bulk_create", storage_down)
    response = client.post(flow.review_url(channel))
    assert response.status_code == 500
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == files_before
    monkeypatch.undo()
    assert "Text that must survive" in client.get(flow.review_url(channel)).content.decode()
    assert client.post(flow.review_url(channel)).status_code == 200
    assert Report.objects.get().attachments.count() == 1


@pytest.mark.django_db(transaction=True)  # files are deleted once the deletion commits
def test_removing_a_file_deletes_it(client, channel):
    flow.start(client, channel)
    post_files(client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())])
    file_id = DraftFile.objects.get().pk
    post_files(client, channel, [], remove_file=str(file_id))
    assert not DraftFile.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_discarding_the_draft_deletes_its_files(client, channel):
    flow.start(client, channel)
    post_files(client, channel, [flow.upload("beach.jpg", samples.gps_jpeg())])
    client.post(f"/acme/{channel.slug}/discard/")
    assert stored_files() == []
