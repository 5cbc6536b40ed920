import hashlib

import pytest

from safelight.audit.models import Event
from safelight.crypto import InvalidPassphrase
from safelight.evidence import actions, reading, session
from safelight.evidence.models import EvidenceFile, Incident, IncidentVersion, Locker
from safelight.reports import storage
from tests.evidence.conftest import INCIDENT
from tests.evidence.helpers import upload


@pytest.mark.django_db
def test_it_opens_a_new_locker_with_its_passphrase_only(locker):
    opened, passphrase = locker
    assert len(passphrase.split()) == 7
    again = session.open_with_passphrase(passphrase.upper().replace(" ", "-"))
    assert again is not None and again.locker.pk == opened.locker.pk and again.key == opened.key
    assert passphrase.encode() not in bytes(opened.locker.lookup_id)
    assert Event.objects.filter(action="evidence.locker_created").count() == 1


@pytest.mark.django_db
def test_it_opens_nothing_with_another_passphrase(locker):
    _opened, passphrase = locker
    words = passphrase.split()
    words[0] = "zoom" if words[0] != "zoom" else "zone"
    assert session.open_with_passphrase(" ".join(words)) is None
    with pytest.raises(InvalidPassphrase):
        session.open_with_passphrase("only three words")


@pytest.mark.django_db
def test_it_keeps_every_version_of_an_incident(locker):
    opened, _ = locker
    incident = actions.save_incident(opened=opened, content=INCIDENT, files=[])
    changed = {**INCIDENT, "what": "He wrote it twice.", "notes": "Added later"}
    actions.save_incident(opened=opened, content=changed, files=[], incident=incident)
    incident.refresh_from_db()
    assert incident.version == 2
    view = reading.incident_view(opened, incident, history=True)
    assert [v.content["what"] for v in view.versions] == [INCIDENT["what"], "He wrote it twice."]
    assert view.content == changed
    assert [v.leaf_index for v in view.versions] == [0, 1]
    opened.locker.refresh_from_db()
    assert opened.locker.log_size == 2


@pytest.mark.django_db
def test_it_keeps_files_unchanged_with_their_hash(locker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    opened, _ = locker
    data = b"\xff\xd8\xff\xe0 a photo with its EXIF"
    incoming = upload("screenshot.jpg", data, "image/jpeg")
    incident = actions.save_incident(opened=opened, content=INCIDENT, files=[incoming])
    assert incoming.claimed
    view = reading.incident_view(opened, incident)
    [file_view] = view.files
    assert file_view.name == "screenshot.jpg"
    assert file_view.sha256 == hashlib.sha256(data).hexdigest()
    assert b"".join(file_view.chunks()) == data
    assert file_view.leaf_index == 1  # after the incident's own leaf


@pytest.mark.django_db
def test_it_lists_incidents_in_the_order_they_happened(locker):
    opened, _ = locker
    actions.save_incident(opened=opened, content={**INCIDENT, "start": "2026-05-01"}, files=[])
    actions.save_incident(opened=opened, content={**INCIDENT, "start": ""}, files=[])
    actions.save_incident(opened=opened, content={**INCIDENT, "start": "2026-01-03T10:00"},
                          files=[])
    starts = [v.content["start"] for v in reading.incidents(opened)]
    assert starts == ["2026-01-03T10:00", "2026-05-01", ""]


@pytest.mark.django_db(transaction=True)
def test_it_deletes_the_locker_and_its_files(locker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    opened, passphrase = locker
    incoming = upload("a.txt", b"evidence")
    actions.save_incident(opened=opened, content=INCIDENT, files=[incoming])
    path = storage.path_for(incoming.storage_name)
    assert path.exists()
    actions.delete_locker(opened=opened)
    assert not Locker.objects.exists()
    assert not Incident.objects.exists() and not IncidentVersion.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not path.exists()
    assert session.open_with_passphrase(passphrase) is None
