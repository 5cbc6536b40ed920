"""Every way of storing bytes in a locker counts against its one quota (issue 20, item 4):
incident files and versions, files kept across an incident form's error, and imports. Past it
the page says so plainly, keeps what the person wrote, and nothing of it is stored."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence import actions
from safelight.evidence.models import (
    EvidenceFile,
    Incident,
    IncidentDraftFile,
    IncidentVersion,
    MessageImport,
)
from safelight.evidence.quota import LockerFull, locker_usage

QUOTA = 8 * 1024
GOOD = {"title": "After the party", "start_date": "2026-03-10",
        "what": "He wrote that he would come to my flat."}
BAD = {**GOOD, "end_date": "2026-03-01"}  # before the start: the form has an error
CHAT = b"02/03/2026, 21:40 - Sam: are you home\n02/03/2026, 21:41 - Sam: answer me\n"


@pytest.fixture(autouse=True)
def _small_quota(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SAFELIGHT_LOCKER_QUOTA_BYTES = QUOTA


def stored(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def upload(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"x" * (size - 8),
                              content_type="image/png")


def post(client, data: dict, *files: SimpleUploadedFile, url: str = "/locker/incidents/new/"):
    return client.post(url, {**data, "files": list(files)})


@pytest.mark.django_db
def test_it_refuses_an_incident_file_past_the_quota_and_keeps_the_text(locker_client, tmp_path):
    response = post(locker_client, GOOD, upload("big.png", QUOTA + 1024))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“big.png” does not fit in your locker: a locker can hold 8.0\xa0KB in all" in page
    assert "He wrote that he would come to my flat." in page  # the input is kept
    assert not Incident.objects.exists()
    assert not IncidentVersion.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not IncidentDraftFile.objects.exists()
    assert stored(tmp_path) == []  # no ciphertext left behind


@pytest.mark.django_db
def test_it_counts_the_files_already_in_the_locker(locker, locker_client, tmp_path):
    assert post(locker_client, GOOD, upload("first.png", 5 * 1024)).status_code == 302
    before = stored(tmp_path)
    response = post(locker_client, {**GOOD, "title": "The next day"},
                    upload("second.png", 5 * 1024))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“second.png” does not fit in your locker" in page
    assert "The next day" in page
    assert Incident.objects.count() == 1 and EvidenceFile.objects.count() == 1
    assert not IncidentDraftFile.objects.exists()
    assert stored(tmp_path) == before
    assert locker_usage(locker[0].locker) <= QUOTA


@pytest.mark.django_db
def test_it_refuses_a_new_version_past_the_quota_and_keeps_the_old(locker_client, tmp_path):
    assert post(locker_client, GOOD, upload("first.png", 5 * 1024)).status_code == 302
    incident = Incident.objects.get()
    response = post(locker_client, {**GOOD, "what": "He came to the door."},
                    upload("second.png", 5 * 1024),
                    url=f"/locker/incidents/{incident.pk}/edit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "“second.png” does not fit in your locker" in page
    assert "He came to the door." in page
    incident.refresh_from_db()
    assert incident.version == 1 and IncidentVersion.objects.count() == 1
    assert EvidenceFile.objects.count() == 1


@pytest.mark.django_db
def test_it_counts_files_kept_across_a_form_error(locker_client, tmp_path):
    response = post(locker_client, BAD, upload("one.png", 5 * 1024))
    assert "Already attached" in response.content.decode()
    assert IncidentDraftFile.objects.count() == 1
    response = post(locker_client, BAD, upload("two.png", 5 * 1024))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“two.png” does not fit in your locker" in page and "it was not kept" in page
    assert "This is before the start." in page and "After the party" in page
    assert IncidentDraftFile.objects.count() == 1  # the second was not kept
    assert len(stored(tmp_path)) == 1


@pytest.mark.django_db
def test_it_refuses_a_kept_file_past_the_quota_and_says_so_once(locker_client, tmp_path):
    response = post(locker_client, GOOD, upload("big.png", QUOTA + 1024))
    page = response.content.decode()
    assert page.count("“big.png” does not fit in your locker") == 1
    assert "it was not kept" in page
    assert not IncidentDraftFile.objects.exists() and stored(tmp_path) == []


@pytest.mark.django_db
def test_a_kept_file_saved_with_its_incident_counts_once(locker, locker_client, tmp_path):
    post(locker_client, BAD, upload("one.png", 5 * 1024))
    row = IncidentDraftFile.objects.get()
    response = locker_client.post("/locker/incidents/new/",
                                  {**BAD, "end_date": "2026-03-12", "kept_file": str(row.pk)})
    assert response.status_code == 302  # 5 KB counted twice would not fit in 8 KB
    assert EvidenceFile.objects.get().storage_name == row.storage_name
    assert not IncidentDraftFile.objects.exists()


@pytest.mark.django_db
def test_a_refused_save_leaves_the_kept_files_kept(locker_client, tmp_path):
    post(locker_client, BAD, upload("one.png", 5 * 1024))
    row = IncidentDraftFile.objects.get()
    response = locker_client.post("/locker/incidents/new/", {
        **BAD, "end_date": "2026-03-12", "kept_file": str(row.pk),
        "files": [upload("two.png", 5 * 1024)]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“two.png” does not fit in your locker" in page
    assert list(IncidentDraftFile.objects.values_list("pk", flat=True)) == [row.pk]
    assert f'name="kept_file" value="{row.pk}"' in page
    assert not Incident.objects.exists() and not EvidenceFile.objects.exists()
    assert len(stored(tmp_path)) == 1


@pytest.mark.django_db
def test_it_refuses_an_incident_whose_text_does_not_fit(locker, settings):
    opened, _ = locker
    settings.SAFELIGHT_LOCKER_QUOTA_BYTES = 64
    with pytest.raises(LockerFull) as refused:
        actions.save_incident(opened=opened, content={"what": "x" * 500}, files=[])
    assert refused.value.message.startswith("This incident does not fit in your locker")
    assert not Incident.objects.exists() and not IncidentVersion.objects.exists()


@pytest.mark.django_db
def test_an_import_counts_the_files_kept_across_a_form_error(locker_client, tmp_path):
    post(locker_client, BAD, upload("one.png", QUOTA - 64))
    assert IncidentDraftFile.objects.count() == 1
    response = locker_client.post("/locker/imports/new/", {
        "export": SimpleUploadedFile("WhatsApp Chat with Sam.txt", CHAT)})
    assert response.status_code == 200
    assert "does not fit in your locker" in response.content.decode()
    assert not MessageImport.objects.exists()
    assert len(stored(tmp_path)) == 1
