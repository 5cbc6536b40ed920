"""The reporter side's check of a phone's apps: the start page, the form, the results, and bad
input coming back to the form with the engine's plain message (issue 16)."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safelight.techcheck import inputs, matching
from safelight.techcheck.views import reporter_check

DATA = Path(__file__).parent / "data"
START = "/acme/help/check/"
CHECK = "/acme/help/check/apps/"
NOTE = matching.safety_note()
PM_LINES = (
    "package:/data/app/~~a==/com.whatsapp-b==/base.apk=com.whatsapp  "
    "installer=com.android.vending uid:10231\n"
    "package:/data/app/~~c==/com.thetruth-d==/base.apk=com.thetruth  installer=null uid:10241\n"
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.techcheck.urls_for_tests")]


def page(response) -> str:
    return html.unescape(response.content.decode())


def post(client, **data):
    return client.post(CHECK, data)


def test_the_start_page_puts_safety_first_and_says_how_to_get_each_input(client, organisation):
    response = client.get(START)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = page(response)
    assert "can alert the person who set it up" in text
    assert "make a safety plan" in text.lower()
    assert 'href="/acme/help/"' in text  # the referral directory
    assert "may show that this check was done" in text
    assert "Nobody will ask you for your phone or your passwords." in text
    assert "adb shell pm list packages -f -i -U" in text
    assert "packages.json" in text and "Take bug report" in text
    assert "App Privacy Report" in text and "Save App Activity" in text
    assert f"Files up to {inputs.MAX_BYTES // 2**20} MB" in text
    assert 'id="quick-exit"' in text and "language-chooser" in text
    # The neutral title: the organisation's page title or the default, never "stalkerware".
    title = text.split("<title>")[1].split("</title>")[0]
    assert "stalkerware" not in title.lower() and "check" not in title.lower()
    assert f'href="{CHECK}"' in text


def test_the_form_carries_autocomplete_off_and_says_the_cap(client, organisation):
    text = page(client.get(CHECK))
    assert '<form method="post" enctype="multipart/form-data" autocomplete="off"' in text
    assert '<textarea name="text"' in text and 'autocomplete="off"' in text.split("<textarea")[1]
    assert f"up to {inputs.MAX_BYTES // 2**20} MB" in text


def test_a_pasted_list_with_known_stalkerware_shows_the_finding_and_the_safety_note(
        client, organisation):
    response = post(client, text=PM_LINES)
    assert response.status_code == 200
    text = page(response)
    assert "Known stalkerware: TheTruthSpy" in text
    assert "com.thetruth" in text
    assert "Likely" in text
    assert "The name alone is a strong sign, not proof." in text
    assert "When it is safe: remove the app or reset the phone" in text
    # Once at the top, and again in the finding that suggests removing the app.
    assert text.count(NOTE) == 2
    assert "2 apps were checked." in text
    assert "No known stalkerware found" not in text
    assert "Stalkerware indicators by Echap, CC-BY 4.0" in text
    assert "version a04c5c1, of 2026-06-21" in text
    assert 'href="/acme/help/"' in text and f'href="{START}"' in text


def test_a_list_with_nothing_known_says_so_carefully(client, organisation):
    text = page(post(client, text=PM_LINES.splitlines()[0]))
    assert "No known stalkerware found" in text
    assert "This does not prove that the phone is safe" in text
    assert NOTE in text and "Stalkerware indicators by Echap, CC-BY 4.0" in text


def test_an_androidqf_packages_json_is_checked(client, organisation):
    upload = SimpleUploadedFile("packages.json", (DATA / "androidqf_packages.json").read_bytes())
    text = page(post(client, file=upload))
    assert "com.mspy.lite" in text and "Known stalkerware" in text
    assert "Certain" in text or "Likely" in text


def test_a_privacy_report_contacting_an_indicator_domain_is_grouped_by_how_sure(
        client, organisation):
    upload = SimpleUploadedFile("report.ndjson", (DATA / "privacy_report.ndjson").read_bytes())
    text = page(post(client, file=upload))
    assert "Contacted a server of TheTruthSpy" in text
    assert "thetruth-db94a.firebaseio.com" in text
    order = [text.index(f'id="group-{g}"') for g in ("likely", "possible", "information")]
    assert order == sorted(order)
    assert "For information" in text
    # The removal note in place for the server finding, not for the "for information" ones.
    information = text.split('id="group-information"')[1]
    assert NOTE not in information
    assert NOTE in text.split('id="group-likely"')[1].split('id="group-possible"')[0]


@pytest.mark.parametrize("pasted, message", [
    ("hello, this is not a package list", inputs.expected_message()),
    ("{not json at all", inputs.expected_message()),
])
def test_junk_comes_back_to_the_form_with_the_message_and_the_text(client, organisation, pasted,
                                                                     message):
    response = post(client, text=pasted)
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert f"{pasted}</textarea>" in text
    assert "What the check found" not in text


def test_nothing_given_asks_for_text_or_a_file(client, organisation):
    text = page(post(client, text="   "))
    assert "Paste the text or choose a file." in text
    assert "What the check found" not in text


def test_an_empty_or_wrong_file_says_so_and_that_it_was_not_kept(client, organisation):
    for upload, message in (
        (SimpleUploadedFile("empty.txt", b""), "The file is empty."),
        (SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40),
         inputs.expected_message()),
        (SimpleUploadedFile("junk.zip", b"PK\x03\x04" + b"\x00" * 500),
         "The zip file could not be opened."),
    ):
        response = post(client, file=upload, text="")
        assert response.status_code == 200
        text = page(response)
        assert message in text, upload.name
        assert "Files are not kept: choose the file again to try once more." in text
        assert "What the check found" not in text


def test_a_file_larger_than_the_cap_is_checked_in_part_and_says_so(client, organisation,
                                                                     monkeypatch):
    monkeypatch.setattr(reporter_check, "MAX_UPLOAD_BYTES", 2 * 2**20)
    body = PM_LINES.encode() * (3 * 2**20 // len(PM_LINES))
    text = page(post(client, file=SimpleUploadedFile("big.txt", body)))
    assert "The file is larger than 2 MB: only the first part was checked." in text
    assert "Known stalkerware: TheTruthSpy" in text


def test_a_large_file_of_junk_comes_back_to_the_form(client, organisation, monkeypatch):
    monkeypatch.setattr(reporter_check, "MAX_UPLOAD_BYTES", 2 * 2**20)
    text = page(post(client, file=SimpleUploadedFile("big.bin", b"\x01junk" * 2**20)))
    assert inputs.expected_message() in text
    assert "What the check found" not in text


def test_pasted_text_too_long_for_a_field_asks_for_a_file(client, organisation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, text=PM_LINES * 200)
    assert response.status_code == 200
    assert "The pasted text is too long: save it in a file and choose the file instead." in page(
        response)


def test_the_upload_is_held_in_memory_and_only_one_file_is_taken(client, organisation):
    handler = reporter_check.CappedMemoryUpload(None, field="file", limit=10)
    handler.new_file("file", "a.txt", "text/plain", None)
    handler.receive_data_chunk(b"0123456789abcdef", 0)
    first = handler.file_complete(16)
    assert isinstance(first.file, io.BytesIO) and first.read() == b"0123456789a"
    assert first.size == 16
    handler.new_file("file", "b.txt", "text/plain", None)
    handler.receive_data_chunk(b"second", 0)
    assert handler.file_complete(6) is None


def test_a_get_or_post_without_csrf_token_does_not_check(organisation):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(CHECK, {"text": PM_LINES}).status_code == 403


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get("/nobody/help/check/").status_code == 404
    assert client.post("/nobody/help/check/apps/", {"text": PM_LINES}).status_code == 404


def test_every_form_and_field_of_the_check_keeps_nothing_in_the_browser(client, organisation):
    from safelight.forms import NoAutofill
    from safelight.techcheck.forms import CheckForm
    from tests.test_forms import TEMPLATES, assert_no_autofill, parsed

    assert isinstance(CheckForm(), NoAutofill)
    for response in (client.get(CHECK), post(client, text="junk")):
        found = assert_no_autofill(response.content.decode(), CHECK)
        assert found.forms and all(f.get("autocomplete") == "off" for f in found.forms)
    for path in sorted((TEMPLATES / "techcheck").glob("*.html")):
        found = parsed(path.read_text())
        assert [f for f in found.fields if f.get("autocomplete") != "off"] == [], path.name
        assert [f for f in found.forms if f.get("autocomplete") != "off"] == [], path.name
