"""Download names are kept by the browser and are the file's name on the device: neutral."""

import datetime
import re

import pytest

from safelight.downloads import extension, neutral_name
from tests.intake import samples
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
from tests.intake.flow import report, upload

DAY = datetime.date(2026, 3, 2)


def test_it_keeps_only_the_kind_of_file():
    assert neutral_name("file", name="threats from Sam.png", day=DAY) == "file-2026-03-02.png"
    assert neutral_name("export", content_type="application/zip", day=DAY) == (
        "export-2026-03-02.zip")
    assert neutral_name("file", content_type="application/pdf; charset=binary", day=DAY) == (
        "file-2026-03-02.pdf")


def test_it_drops_an_extension_that_could_say_something():
    assert extension(name="photo.my-ex-partner") == ""
    assert extension(name="no extension", content_type="") == ""
    assert extension(name="scan.JPEG") == ".jpeg"
    assert extension(content_type="nonsense/kind") == ""


@pytest.mark.django_db
def test_it_gives_the_reporter_s_own_file_a_neutral_name(client, channel, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    receipt = report(client, channel, {})
    client.post("/receipt/", {"receipt": receipt})
    client.post("/receipt/report/", {"body": "Here it is.", "files": [upload(
        "threats from my ex.png", samples.png(), "image/png")]})
    page = client.get("/receipt/report/").content.decode()
    link = re.search(r'href="(/receipt/report/files/[^"]+/)"', page)
    assert link, page
    response = client.get(link.group(1))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="file-\d{4}-\d{2}-\d{2}\.png"', disposition), (
        disposition)
