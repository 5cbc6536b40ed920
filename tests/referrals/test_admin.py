"""The staff administration of the directory: stale flags, verifying, import and export."""

import datetime
import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safelight.audit.models import Event
from safelight.referrals.exports import export_file
from safelight.referrals.models import Service
from tests.conftest import sign_in

CHANGELIST = "/staff/admin/referrals/service/"
HSDS = "/staff/admin/referrals/service/hsds/"
EXPORT = "/staff/admin/referrals/service/hsds/export/"
LONG_AGO = timezone.localdate() - datetime.timedelta(days=400)


def test_it_flags_entries_not_verified_for_twelve_months(staff_client, counselling, law_line,
                                                         unlisted):
    Service.objects.filter(pk__in=[law_line.pk, unlisted.pk]).update(last_verified=LONG_AGO)
    response = staff_client.get(CHANGELIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 listed entry has not been verified for 12 months." in content
    assert "stale (not verified for 12 months)" in content.lower()

    stale = staff_client.get(CHANGELIST, {"stale": "yes"})
    assert {s.name for s in stale.context["cl"].result_list} == {
        "Family Law Advice Line", "Closed Drop-in Centre"}
    fresh = staff_client.get(CHANGELIST, {"stale": "no"})
    assert [s.name for s in fresh.context["cl"].result_list] == ["Harbour Counselling"]


def test_it_says_nothing_when_every_entry_is_verified(staff_client, counselling):
    assert "has not been verified" not in staff_client.get(CHANGELIST).content.decode()


def test_it_marks_chosen_entries_verified_today(staff_client, administrator, counselling,
                                                law_line):
    Service.objects.update(last_verified=LONG_AGO)
    response = staff_client.post(CHANGELIST, {
        "action": "mark_verified_today", "_selected_action": [law_line.pk],
    }, follow=True)
    assert "1 entry marked as verified today." in response.content.decode()
    law_line.refresh_from_db()
    counselling.refresh_from_db()
    assert law_line.last_verified == timezone.localdate()
    assert counselling.last_verified == LONG_AGO
    assert Event.objects.get(action="service.verify").actor == administrator.user


def test_it_adds_an_entry_with_categories_through_the_form(staff_client, organisation,
                                                           administrator):
    response = staff_client.post(f"{CHANGELIST}add/", {
        "organisation": organisation.pk, "name": "Tech Safety Clinic",
        "categories": ["technology_safety", "police"], "languages": "en, AR",
        "website": "saferdevices.example.org", "active": "on",
        "last_verified": "2026-01-15",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    service = Service.objects.get()
    assert service.category_codes() == ["technology_safety", "police"]
    assert service.languages == "en, ar"
    assert service.website == "https://saferdevices.example.org"
    assert Event.objects.get(action="service.create").actor == administrator.user

    form = staff_client.get(f"{CHANGELIST}{service.pk}/change/").context["adminform"].form
    assert form["categories"].value() == ["technology_safety", "police"]


def test_it_deletes_through_the_audited_action(staff_client, counselling):
    response = staff_client.post(f"{CHANGELIST}{counselling.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Service.objects.exists()
    assert Event.objects.filter(action="service.delete").exists()


def test_it_offers_import_and_export_from_the_list(staff_client, organisation):
    assert HSDS in staff_client.get(CHANGELIST).content.decode()
    page = staff_client.get(HSDS)
    assert page.status_code == 200
    assert page.context["form"]["organisation"].value() == organisation.pk


def test_it_imports_an_uploaded_file_and_shows_the_result(staff_client, organisation,
                                                          administrator):
    content = json.dumps([
        {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11", "name": "Alpha", "status": "active",
         "languages": [{"name": "Klingon"}]},
        {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12", "name": "Beta", "email": "nope",
         "status": "active"},
    ]).encode()
    response = staff_client.post(HSDS, {
        "organisation": organisation.pk,
        "file": SimpleUploadedFile("d.json", content, "application/json"),
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Added 1, updated 0, left out 1." in page
    assert "email: Enter a valid email address." in page
    assert "Klingon" in page
    assert list(Service.objects.values_list("name", flat=True)) == ["Alpha"]
    assert Event.objects.get(action="referrals.import").actor == administrator.user


def test_it_imports_a_csv_package_upload(staff_client, organisation, counselling):
    content = export_file(organisation, "csv").content
    Service.objects.all().delete()
    response = staff_client.post(HSDS, {
        "organisation": organisation.pk,
        "file": SimpleUploadedFile("d.zip", content, "application/zip"),
    })
    assert "Added 1, updated 0, left out 0." in response.content.decode()
    assert Service.objects.get().category_codes() == ["mental_health"]


def test_it_says_what_is_wrong_with_a_file_it_cannot_read(staff_client, organisation):
    response = staff_client.post(HSDS, {
        "organisation": organisation.pk,
        "file": SimpleUploadedFile("d.json", b"{not json", "application/json"),
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "not valid JSON (line 1, column 2" in page
    assert "Added" not in page
    assert not Service.objects.exists()


def test_it_asks_for_a_file(staff_client, organisation):
    response = staff_client.post(HSDS, {"organisation": organisation.pk})
    assert "This field is required." in response.content.decode()


def test_it_downloads_json_and_csv_exports(staff_client, organisation, counselling):
    response = staff_client.get(EXPORT, {"organisation": organisation.pk, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="referrals-acme-')
    assert json.loads(response.content)["contents"][0]["name"] == "Harbour Counselling"

    response = staff_client.get(EXPORT, {"organisation": organisation.pk, "format": "csv"})
    assert response["Content-Type"] == "application/zip"
    assert "services.csv" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_it_sends_an_unusable_export_request_back_with_a_message(staff_client, organisation):
    response = staff_client.get(EXPORT, {"organisation": organisation.pk, "format": "xml"},
                                follow=True)
    assert "Choose a directory and a format to export." in response.content.decode()


def test_it_keeps_handlers_who_are_not_administrators_out(client, handler, counselling):
    sign_in(client, handler)
    for url in (CHANGELIST, HSDS, f"{EXPORT}?organisation=1&format=json"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/staff/admin/login/" in response["Location"]
