"""HSDS JSON: the export's shape, the round trip, a realistic outside file, malformed files."""

import datetime
import io
import json
from pathlib import Path

import pytest

from safelight.referrals import hsds, hsds_json
from safelight.referrals.actions import import_hsds
from safelight.referrals.exports import export_file
from safelight.referrals.models import Category, Service
from tests.referrals.conftest import make_service
from tests.referrals.snapshot import directory_snapshot

DATA = Path(__file__).parent / "data"


def run_import(organisation, content: bytes, **kwargs):
    return import_hsds(organisation=organisation, file=io.BytesIO(content), **kwargs)


def exported(organisation) -> dict:
    return json.loads(export_file(organisation, "json").content)


def test_it_exports_an_hsds_page_of_service_objects(organisation, counselling):
    document = exported(organisation)
    assert document["total_items"] == 1 and document["empty"] is False
    item = document["contents"][0]
    assert item["id"] == str(counselling.hsds_id)
    assert item["name"] == "Harbour Counselling" and item["status"] == "active"
    assert item["url"] == "https://harbour.example.org/"
    assert item["organization"]["name"] == "Harbour Trust"
    assert item["assured_date"] == counselling.last_verified.isoformat()
    assert {(p["type"], p["number"]) for p in item["phones"]} == {
        ("voice", "01632 960 345"), ("text", "07700 900 345")}
    assert item["additional_urls"] == [
        {"id": item["additional_urls"][0]["id"], "label": "Chat",
         "url": "https://harbour.example.org/chat"}]
    assert [a["name"] for a in item["service_areas"]] == ["Westmoor", "North Dale"]
    assert [(lang["code"], lang["name"]) for lang in item["languages"]] == [
        ("en", "English"), ("cy", "Welsh"), ("bsl", "British Sign Language")]
    assert item["schedules"][0]["description"].startswith("Monday to Thursday")
    location = item["service_at_locations"][0]["location"]
    assert location["location_type"] == "virtual"
    assert location["accessibility"][0]["description"] == "Sessions by video with BSL interpreters."
    term = item["attributes"][0]["taxonomy_term"]
    assert term["code"] == "mental_health" and term["taxonomy"] == hsds.TAXONOMY_NAME
    assert term["taxonomy_id"] == hsds.TAXONOMY_ID == term["taxonomy_detail"]["id"]


def test_it_gives_the_same_ids_in_every_export(organisation, counselling):
    assert export_file(organisation, "json").content == export_file(organisation, "json").content


def test_it_reimports_an_export_to_the_same_directory(organisation, counselling, law_line,
                                                      national_helpline, unlisted):
    make_service(organisation, name="Never Checked", last_verified=None,
                 description="Line one.\nLine two.", categories=list(Category.values))
    before = directory_snapshot(organisation)
    content = export_file(organisation, "json").content
    Service.objects.filter(organisation=organisation).delete()

    result = run_import(organisation, content)

    assert result.skipped == [] and result.notes == []
    assert result.created == 5 and result.updated == 0
    assert directory_snapshot(organisation) == before
    assert export_file(organisation, "json").content == content


def test_it_updates_entries_it_already_has(organisation, counselling):
    content = export_file(organisation, "json").content
    counselling.name = "Renamed Locally"
    counselling.save()

    result = run_import(organisation, content)

    assert (result.created, result.updated) == (0, 1)
    counselling.refresh_from_db()
    assert counselling.name == "Harbour Counselling"
    assert Service.objects.count() == 1


def test_it_imports_into_one_directory_without_touching_another(
        organisation, other_organisation, counselling):
    result = run_import(other_organisation, export_file(organisation, "json").content)
    assert result.created == 1
    copy = Service.objects.get(organisation=other_organisation)
    assert copy.hsds_id == counselling.hsds_id and copy.pk != counselling.pk


def test_it_reads_a_directory_from_another_system(organisation):
    result = run_import(organisation, (DATA / "other_directory.json").read_bytes())

    assert result.skipped == []
    assert [item.name for item in result.imported] == [
        "Riverside Women's Legal Clinic", "Eastbrook Night Shelter", "Safer Phones Workshop"]
    clinic = Service.objects.get(name="Riverside Women's Legal Clinic")
    assert str(clinic.hsds_id) == "3c1f6a52-8d1e-4b57-9a0e-6f2d4c8b1a01"
    assert clinic.provider == "Riverside Legal Aid Trust"
    assert clinic.phone == "+44 1632 960 555" and clinic.text_number == "07700 900 555"
    assert clinic.chat_url == "https://riverside-legal.example.org/chat"
    assert clinic.website == "https://riverside-legal.example.org/clinic"
    assert clinic.hours == "Weekdays 09:30 to 16:30\nSat 10:00-12:00 (drop-in)"
    assert clinic.region_list() == ["Riverside", "Eastbrook"]
    assert clinic.language_codes() == ["en", "pl", "ur"]
    assert clinic.accessibility == (
        "Step-free entrance and lift to all floors.\nHearing loop at reception.")
    assert clinic.eligibility.startswith("Women aged 16") and clinic.cost == "Free of charge."
    assert clinic.last_verified == datetime.date(2025, 9, 30) and clinic.active
    assert clinic.category_codes() == [Category.LEGAL, Category.SHELTER_HOUSING]

    shelter = Service.objects.get(name="Eastbrook Night Shelter")
    assert not shelter.active and shelter.phone == "1632960777"
    assert shelter.region_list() == ["Eastbrook town centre"]
    assert shelter.category_codes() == [Category.SHELTER_HOUSING]
    assert shelter.last_verified is None and shelter.stale

    workshop = Service.objects.get(name="Safer Phones Workshop")
    assert workshop.provider == ""  # the organisation has the service's own name
    assert workshop.category_codes() == [Category.TECHNOLOGY_SAFETY]

    notes = [(note.ref, note.reason) for note in result.notes]
    assert any("01632 960 556" in reason for _ref, reason in notes)  # the fax number
    assert any("Klingon" in reason for _ref, reason in notes)
    assert any("Food" in reason for _ref, reason in notes)
    assert any(ref.startswith("item 2") and "svc-0042" in reason for ref, reason in notes)
    assert any("last spring" in reason for _ref, reason in notes)


def test_it_matches_a_non_uuid_id_on_the_next_import(organisation):
    content = (DATA / "other_directory.json").read_bytes()
    run_import(organisation, content)
    result = run_import(organisation, content)
    assert (result.created, result.updated) == (0, 3)
    assert Service.objects.count() == 3


def test_it_reads_a_plain_list_one_service_and_json_lines(organisation):
    one = {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11", "name": "Alpha", "status": "active"}
    two = {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12", "name": "Beta", "status": "active"}
    assert run_import(organisation, json.dumps([one, two]).encode()).created == 2
    assert run_import(organisation, json.dumps(one).encode()).updated == 1
    lines = f"{json.dumps(one)}\n\n{json.dumps(two)}\n".encode()
    assert run_import(organisation, lines).updated == 2


SERVICE_ID = "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a99"


@pytest.mark.parametrize(("item", "reason"), [
    ("just text", "not a service object"),
    ({"name": "No Id", "status": "active"}, "no id"),
    ({"id": SERVICE_ID, "status": "active"}, "no name"),
    ({"id": SERVICE_ID, "name": "  ", "status": "active"}, "no name"),
    ({"id": SERVICE_ID, "name": ["a list"], "status": "active"}, "name: expected text"),
    ({"id": SERVICE_ID, "name": "X", "status": "open"}, "status “open” is not one of"),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "phones": "0808"},
     "phones: expected a list of objects"),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "phones": [1, 2]},
     "phones: expected a list of objects"),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "organization": "Acme"},
     "organization: expected an object"),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "email": "not an address"},
     "email: Enter a valid email address."),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "url": "javascript:alert(1)"},
     "url: Enter a valid URL."),
    ({"id": SERVICE_ID, "name": "X" * 201, "status": "active"}, "name: Ensure this value"),
    ({"id": SERVICE_ID, "name": "X", "status": "active",
      "phones": [{"number": "call us!", "type": "voice"}]}, "phones (voice): Write a phone number"),
    ({"id": SERVICE_ID, "name": "X", "status": "active", "description": {"en": "x"}},
     "description: expected text"),
    ({"id": SERVICE_ID, "name": "X", "status": "active",
      "service_at_locations": [{"location": "here"}]}, "location: expected an object"),
])
def test_it_leaves_out_a_bad_item_whole_and_says_why(organisation, item, reason):
    good = {"id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a10", "name": "Good", "status": "active"}
    result = run_import(organisation, json.dumps([good, item]).encode())

    assert [i.name for i in result.imported] == ["Good"]
    assert len(result.skipped) == 1
    assert result.skipped[0].ref.startswith("item 2")
    assert reason in result.skipped[0].reason
    assert list(Service.objects.values_list("name", flat=True)) == ["Good"]


def test_it_drops_control_characters_and_keeps_lines(organisation):
    item = {"id": SERVICE_ID, "name": "Null\x00 Byte\x07 Centre", "status": "active",
            "description": "First line\r\nSecond\x1b line"}
    result = run_import(organisation, json.dumps([item]).encode())
    assert result.skipped == []
    service = Service.objects.get()
    assert service.name == "Null Byte Centre"
    assert service.description == "First line\nSecond line"


def test_it_reports_a_broken_line_of_json_lines_and_imports_the_rest(organisation):
    one = {"id": SERVICE_ID, "name": "Alpha", "status": "active"}
    content = f'{json.dumps(one)}\n{{"id": "broken\n'.encode()
    result = run_import(organisation, content)
    assert [i.name for i in result.imported] == ["Alpha"]
    assert result.skipped[0].ref == "line 2" and "not valid JSON" in result.skipped[0].reason


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "the file is empty"),
    (b"   \n", "the file is empty"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b'{"contents": [', "not valid JSON (line 1"),
    (b'"a string"', "no services found"),
    (b'{"services": []}', "no services found"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_it_imports_nothing_from_a_file_it_cannot_read(organisation, counselling, content, reason):
    result = run_import(organisation, content)
    assert reason in result.file_error
    assert result.imported == [] and len(result.skipped) == 1
    assert Service.objects.count() == 1


def test_it_refuses_a_file_over_the_size_limit(organisation, monkeypatch):
    monkeypatch.setattr(hsds_json, "MAX_BYTES", 100)
    result = run_import(organisation, b"[" + b" " * 200 + b"]")
    assert "larger than" in result.file_error


def test_it_stops_after_the_most_items_an_import_takes(organisation):
    items = [{"id": f"0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a{n:02d}", "name": f"S{n}",
              "status": "active"} for n in range(5)]
    result = run_import(organisation, json.dumps(items).encode(), max_items=3)
    assert result.created == 3
    assert "more than 3 items" in result.skipped[0].reason
    assert Service.objects.count() == 3


def test_it_records_one_audit_event_per_import(organisation, counselling, administrator):
    from safelight.audit.models import Event

    run_import(organisation, export_file(organisation, "json").content, actor=administrator.user)
    events = Event.objects.filter(action="referrals.import")
    assert events.count() == 1 and events.get().actor == administrator.user
