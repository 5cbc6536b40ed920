"""Nothing a survivor writes or imports rests in clear (standing rule 3): after incidents (two
versions), a file, an import with media and a share, the database image (SQLite) or pg_dump, the
file storage, the cache and the logs hold no copy of the canaries, nor of their SHA-256."""

import hashlib
import logging
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence.models import EvidenceFile, Incident, IncidentVersion, MessageImport
from tests.intake.test_canary import database_image, encodings, folder_bytes


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_everything_holds_no_locker_content(locker, locker_client, caplog, capfd,
                                                      settings_with_media):
    caplog.set_level(logging.DEBUG)
    _opened, passphrase = locker
    canary = f"canary{uuid.uuid4().hex[:16]}"
    short = f"ok{uuid.uuid4().hex[:4]}"  # a short message: its hash must not be guessable
    form = {"title": f"{canary} title", "what": f"{canary} what", "who": f"{canary}@who.example",
            "impact": f"{canary} impact", "notes": f"{canary} notes", "platform": canary,
            "urls": f"https://example.com/{canary}"}
    locker_client.post("/locker/incidents/new/", {
        **form, "files": [SimpleUploadedFile(f"{canary}.txt", f"{canary} file".encode())]})
    incident = Incident.objects.get()
    locker_client.post(f"/locker/incidents/{incident.pk}/edit/", {**form, "what": "changed"})
    chat = (f"02/03/2026, 21:40 - {canary}sender: I will hurt you {canary}\n"
            f"02/03/2026, 21:41 - Alex: {short}\n").encode()
    locker_client.post("/locker/imports/new/",
                       {"export": SimpleUploadedFile(f"{canary}.txt", chat)})
    assert locker_client.get("/locker/home/").status_code == 200
    assert MessageImport.objects.count() == 1  # everything above was really stored
    assert EvidenceFile.objects.count() == 2 and IncidentVersion.objects.count() == 2

    image = database_image()
    stored = folder_bytes(Path(settings.MEDIA_ROOT)) + folder_bytes(Path(settings.CACHES_DIR))
    logged = (caplog.text + "".join(capfd.readouterr())).encode("utf-8")
    secrets = {canary: encodings(canary), short: encodings(short),
               passphrase: encodings(passphrase)}
    for value in (f"{canary} file".encode(), short.encode(), chat,
                  f"02/03/2026, 21:41 - Alex: {short}\n".encode()):
        digest = hashlib.sha256(value).digest()
        secrets[f"sha256 of {value[:20]!r}"] = {"raw": digest, "hex": digest.hex().encode()}
    for name, forms in secrets.items():
        for form_name, form_bytes in forms.items():
            assert form_bytes not in image, f"{name} ({form_name}) in the database"
            assert form_bytes not in logged, f"{name} ({form_name}) in the logs"
            for path, data in stored:
                assert form_bytes not in data, f"{name} ({form_name}) in {path}"


@pytest.fixture
def settings_with_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.CACHES_DIR = tmp_path / "cache"
    location = settings.CACHES["default"].get("LOCATION", "")
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        settings.CACHES_DIR = location
    return settings
