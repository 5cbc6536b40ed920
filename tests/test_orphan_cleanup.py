"""The periodic run removes stored files that no row references once they are older than the
longest upload, and says how many in the audit log, never which (issue 20, item 12)."""

import datetime
import os

import pytest
from django.utils import timezone

from safelight.audit.models import Event
from safelight.crypto import generate_key
from safelight.intake.actions import remove_orphaned_files
from safelight.intake.models import Draft, DraftFile
from safelight.reports import storage
from safelight.tasks import periodic
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401


def _stored(age: datetime.timedelta) -> str:
    name = storage.new_name()
    storage.write_bytes(name, generate_key(), b"partial ciphertext")
    when = (timezone.now() - age).timestamp()
    os.utime(storage.path_for(name), (when, when))
    return name


@pytest.mark.django_db(transaction=True)
def test_it_removes_old_unreferenced_files_only(channel, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "files"
    old = storage.ORPHAN_AGE + datetime.timedelta(minutes=1)
    orphan = _stored(old)
    recent_orphan = _stored(storage.ORPHAN_AGE - datetime.timedelta(minutes=5))  # maybe in flight
    referenced = _stored(old)
    draft = Draft.objects.create(channel=channel, created_at=timezone.now(),
                                 expires_at=timezone.now() + datetime.timedelta(days=1), data=b"x")
    DraftFile.objects.create(draft=draft, added_at=timezone.now(), storage_name=referenced,
                             size=1, sealed_key=b"k", sealed_details=b"d")
    (tmp_path / "files" / "README").write_text("not ours")  # never touched

    assert remove_orphaned_files() == 1
    assert not storage.path_for(orphan).exists()
    assert storage.path_for(recent_orphan).exists()
    assert storage.path_for(referenced).exists()
    assert (tmp_path / "files" / "README").exists()
    event = Event.objects.get(action="storage.orphans_removed")
    assert (event.target_type, event.target_id) == ("count", "1")
    assert orphan not in str(event.__dict__)
    assert remove_orphaned_files() == 0
    assert Event.objects.filter(action="storage.orphans_removed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_periodic_run_removes_them(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    orphan = _stored(storage.ORPHAN_AGE + datetime.timedelta(hours=1))
    assert periodic.call()["orphaned_files_removed"] == 1
    assert not storage.path_for(orphan).exists()
