"""Exporting a bundle from the locker: a ZIP that `safelight verify` accepts, and that names the
item when one byte changes."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.evidence import actions
from safelight.evidence.models import Incident, MessageImport
from safelight.evidence.verify import verify_bundle
from tests.evidence.conftest import INCIDENT
from tests.evidence.test_import_views import CHAT


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _stocked(locker, locker_client):
    opened, _ = locker
    first = actions.save_incident(opened=opened, content=INCIDENT, files=[])
    actions.save_incident(opened=opened, content={**INCIDENT, "notes": "added"}, files=[],
                          incident=first)
    locker_client.post("/locker/incidents/new/", {
        "what": "The tracker", "files": [SimpleUploadedFile("tracker.jpg", b"\xff\xd8 photo")]})
    locker_client.post("/locker/imports/new/", {"export": SimpleUploadedFile("chat.txt", CHAT)})
    return MessageImport.objects.get()


def _download(locker_client, data) -> bytes:
    response = locker_client.post("/locker/export/", data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    # A neutral name, kept in the browser's downloads: never "evidence-bundle-...".
    assert re.fullmatch(r'attachment; filename="export-\d{4}-\d{2}-\d{2}\.zip"',
                        response["Content-Disposition"]), response["Content-Disposition"]
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_it_exports_a_bundle_that_verifies(locker, locker_client, tmp_path):
    row = _stocked(locker, locker_client)
    incidents = [str(i.pk) for i in Incident.objects.all()]
    data = _download(locker_client, {"incidents": incidents, f"import_{row.pk}": "flagged"})
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    result = verify_bundle(path)
    assert result.ok, result.problems
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = bundle.namelist()
        pdf = bundle.read("report.pdf")
    kinds = sorted(item["leaf"]["kind"] for item in manifest["items"])
    assert kinds.count("incident") == 3  # two versions of the first, one of the second
    assert kinds.count("file") == 1
    assert 1 <= kinds.count("message") < 5  # flagged only: the neutral ones stay out
    assert "export" not in kinds  # the whole export would carry the unflagged messages
    assert "report.pdf" in names and pdf.startswith(b"%PDF")


@pytest.mark.django_db
def test_it_names_the_item_when_one_byte_changes(locker, locker_client, tmp_path):
    row = _stocked(locker, locker_client)
    data = _download(locker_client, {"incidents": [], f"import_{row.pk}": "all"})
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        target = next(i for i in manifest["items"] if i["leaf"]["kind"] == "message")
        info = bundle.getinfo(target["path"])
    header = info.header_offset  # the local header's own name and extra lengths
    name_length = int.from_bytes(data[header + 26:header + 28], "little")
    extra_length = int.from_bytes(data[header + 28:header + 30], "little")
    offset = header + 30 + name_length + extra_length
    changed = bytearray(data)
    changed[offset] ^= 0x01
    path = tmp_path / "changed.zip"
    path.write_bytes(bytes(changed))
    result = verify_bundle(path)
    assert not result.ok
    assert any(target["path"] in problem.part for problem in result.problems)
    assert {i["leaf"]["kind"] for i in manifest["items"]} >= {"message", "export"}


@pytest.mark.django_db
def test_it_says_so_when_the_locker_is_empty(locker_client):
    page = locker_client.get("/locker/export/").content.decode()
    assert "Your locker is empty" in page
