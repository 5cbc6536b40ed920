"""A handler's download of a report's file is one audit event (cases.actions.download_attachment),
naming the handler, the organisation and the file."""

import pytest
from django.test import Client

from safelight.audit.models import Event
from safelight.reports.models import Report
from tests.conftest import sign_in
from tests.intake import flow


@pytest.mark.django_db
def test_it_records_one_event_for_a_file_download(channel, hana, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    flow.report(Client(), channel, {5: {"q_evidence": [flow.upload("notes.txt", b"words\n")]}})
    report = Report.objects.get()
    attachment = report.attachments.get()
    staff = sign_in(Client(), hana)
    download = staff.get(f"/staff/reports/{report.pk}/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"words\n"
    events = Event.objects.filter(action="report.file.download")
    assert events.count() == 1
    event = events.get()
    assert event.actor_id == hana.user.pk
    assert event.organisation_id == channel.organisation_id
    assert event.target_id == str(attachment.pk)
