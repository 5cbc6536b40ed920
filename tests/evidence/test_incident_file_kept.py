"""A file chosen on the incident form is kept, encrypted, when the form has an error, and saved
with the incident on the next try (issue 13, item 13)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence import reading
from safelight.evidence.models import EvidenceFile, Incident, IncidentDraftFile

PHOTO = b"\x89PNG\r\n\x1a\n" + b"screenshot of the threat " * 40
BAD = {"title": "After the party", "start_date": "2026-03-10", "end_date": "2026-03-01",
       "what": "He wrote that he would come to my flat."}


def _stored() -> list[bytes]:
    root = Path(settings.MEDIA_ROOT)
    return [p.read_bytes() for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _post_bad(client):
    upload = SimpleUploadedFile("threat.png", PHOTO, content_type="image/png")
    return client.post("/locker/incidents/new/", {**BAD, "files": [upload]})


@pytest.mark.django_db
def test_it_keeps_a_chosen_file_when_the_form_has_an_error(locker_client):
    response = _post_bad(locker_client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is before the start." in page
    assert "Already attached" in page and "threat.png" in page
    (row,) = IncidentDraftFile.objects.all()
    assert f'name="kept_file" value="{row.pk}"' in page
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_file_encrypted(locker_client):
    _post_bad(locker_client)
    assert IncidentDraftFile.objects.count() == 1
    assert all(b"screenshot of the threat" not in data for data in _stored())
    assert b"threat.png" not in bytes(IncidentDraftFile.objects.get().sealed_meta)


@pytest.mark.django_db
def test_it_saves_the_kept_file_with_the_incident(locker, locker_client):
    opened, _ = locker
    _post_bad(locker_client)
    row = IncidentDraftFile.objects.get()
    fixed = {**BAD, "end_date": "2026-03-12", "kept_file": str(row.pk)}
    response = locker_client.post("/locker/incidents/new/", fixed)
    assert response.status_code == 302
    incident = Incident.objects.get()
    (saved,) = EvidenceFile.objects.filter(incident=incident)
    assert saved.storage_name == row.storage_name
    assert b"".join(reading.file_view(opened, saved).chunks()) == PHOTO
    assert not IncidentDraftFile.objects.exists()


@pytest.mark.django_db
def test_it_removes_a_kept_file_the_person_ticks(locker_client):
    _post_bad(locker_client)
    row = IncidentDraftFile.objects.get()
    fixed = {**BAD, "end_date": "2026-03-12", "kept_file": str(row.pk),
             "remove_kept": str(row.pk)}
    response = locker_client.post("/locker/incidents/new/", fixed)
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert not IncidentDraftFile.objects.exists()


@pytest.mark.django_db
def test_it_says_plainly_when_a_kept_id_is_not_one_of_this_lockers(locker_client):
    fixed = {**BAD, "end_date": "2026-03-12", "kept_file": "' OR 1=1 --"}
    response = locker_client.post("/locker/incidents/new/", fixed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose it again" in page
    assert BAD["what"] in page
    assert not Incident.objects.exists()
