"""Original report files download with the type detected from their content (issue 20, item 14),
always as an attachment that the browser must not sniff; a type outside the allow-list is bytes."""

import pytest
from django.test import Client

from safelight.intake.filetypes.kinds import download_type
from safelight.reports.models import Report
from tests.conftest import sign_in
from tests.intake import flow


@pytest.mark.django_db
def test_it_downloads_an_original_file_with_its_detected_type(channel, hana, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    text = b"what happened, in my own words\n"
    flow.report(Client(), channel, {5: {"q_evidence": [flow.upload("notes.txt", text)]}})
    report = Report.objects.get()
    attachment = report.attachments.get()
    staff = sign_in(Client(), hana)
    download = staff.get(f"/staff/reports/{report.pk}/files/{attachment.pk}/")
    assert download["Content-Type"] == "text/plain"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == text


def test_it_never_labels_a_download_with_a_type_a_browser_would_run():
    assert download_type("image/png") == "image/png"
    for risky in ("text/html", "image/svg+xml", "application/javascript", "", None):
        assert download_type(risky) == "application/octet-stream"
