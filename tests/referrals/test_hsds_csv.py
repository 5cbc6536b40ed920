"""HSDS as a zip of CSV tables: the package's shape, the round trip, malformed packages."""

import csv
import io
import json
import zipfile

import pytest

from safelight.referrals import hsds, hsds_csv
from safelight.referrals.actions import import_hsds
from safelight.referrals.exports import export_file
from safelight.referrals.models import Category, Service
from tests.referrals.conftest import make_service
from tests.referrals.snapshot import directory_snapshot


def run_import(organisation, content: bytes, **kwargs):
    return import_hsds(organisation=organisation, file=io.BytesIO(content), **kwargs)


def tables(content: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist() if name.endswith(".csv")
        }


def package(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


SERVICES_HEADER = "id,organization_id,name,description,url,email,status\n"
SID = "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11"


def test_it_exports_the_hsds_tables_and_a_datapackage(organisation, counselling):
    content = export_file(organisation, "csv").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    paths = {resource["path"] for resource in descriptor["resources"]}
    assert {"services.csv", "organizations.csv", "phones.csv", "languages.csv",
            "service_areas.csv", "schedules.csv", "accessibility.csv", "attributes.csv",
            "taxonomy_terms.csv", "taxonomies.csv", "url.csv", "locations.csv",
            "service_at_location.csv"} == paths

    rows = tables(content)
    service = rows["services.csv"][0]
    assert service["id"] == str(counselling.hsds_id) and service["status"] == "active"
    assert rows["organizations.csv"][0]["id"] == service["organization_id"]
    assert rows["organizations.csv"][0]["name"] == "Harbour Trust"
    assert {r["type"] for r in rows["phones.csv"]} == {"voice", "text"}
    assert [r["code"] for r in rows["languages.csv"]] == ["en", "cy", "bsl"]
    assert [r["name"] for r in rows["service_areas.csv"]] == ["Westmoor", "North Dale"]
    assert rows["url.csv"][0]["label"] == "Chat"
    location = rows["service_at_location.csv"][0]["location_id"]
    assert rows["accessibility.csv"][0]["location_id"] == location
    attribute = rows["attributes.csv"][0]
    assert attribute["link_id"] == service["id"] and attribute["link_entity"] == "service"
    term = rows["taxonomy_terms.csv"][0]
    assert term["id"] == attribute["taxonomy_term_id"] and term["code"] == "mental_health"
    assert rows["taxonomies.csv"][0]["id"] == term["taxonomy_id"] == hsds.TAXONOMY_ID


def test_it_reimports_an_export_to_the_same_directory(organisation, counselling, law_line,
                                                      national_helpline, unlisted):
    make_service(organisation, name="Never Checked", last_verified=None,
                 description="Line one.\nLine two, with \"quotes\", commas.",
                 categories=list(Category.values))
    before = directory_snapshot(organisation)
    content = export_file(organisation, "csv").content
    Service.objects.filter(organisation=organisation).delete()

    result = run_import(organisation, content)

    assert result.skipped == [] and result.notes == []
    assert result.created == 5
    assert directory_snapshot(organisation) == before
    assert tables(export_file(organisation, "csv").content) == tables(content)


def test_it_finds_the_tables_in_a_folder_and_by_the_datapackage_names(organisation):
    descriptor = {"resources": [{"name": "service", "path": "data/svc.csv"},
                                {"name": "phone", "path": "data/tel.csv"}]}
    content = package({
        "export/datapackage.json": json.dumps(descriptor),
        "export/data/svc.csv": SERVICES_HEADER + f"{SID},,Alpha,,,,active\n",
        "export/data/tel.csv": f"id,service_id,number,type\nx,{SID},0808 157 0101,voice\n",
    })
    result = run_import(organisation, content)
    assert result.skipped == []
    assert Service.objects.get().phone == "0808 157 0101"


def test_it_leaves_out_a_bad_row_whole_and_imports_the_others(organisation):
    content = package({
        "services.csv": SERVICES_HEADER
        + f"{SID},,Alpha,,,,active\n"
        + "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12,,Beta,,,not-an-email,active\n"
        + ",,No Id,,,,active\n",
        "phones.csv": "id,service_id,number,type\n"
        "p1,0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12,0808 157 0101,voice\n",
    })
    result = run_import(organisation, content)
    assert [i.name for i in result.imported] == ["Alpha"]
    reasons = {item.ref: item.reason for item in result.skipped}
    assert "email: Enter a valid email address." in reasons[
        "services.csv row 3 (id 0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a12)"]
    assert "no id" in reasons["services.csv row 4"]
    assert list(Service.objects.values_list("name", flat=True)) == ["Alpha"]


def test_it_tolerates_short_rows_and_unknown_columns(organisation):
    content = package({
        "services.csv": "id,name,status,colour\n" + f"{SID},Alpha\n",
        "languages.csv": f"id,service_id,code,extra\nl1,{SID},cy,1,2,3\n",
    })
    result = run_import(organisation, content)
    assert result.skipped == []
    service = Service.objects.get()
    assert service.name == "Alpha" and service.language_codes() == ["cy"]
    assert any("no status" in note.reason for note in result.notes)


@pytest.mark.parametrize(("content", "reason"), [
    (b"PK\x03\x04 but not really a zip", "not a zip file"),
    (package({"phones.csv": "id,service_id,number\n"}), "no services.csv"),
    (package({"services.csv": b"id,name\n\xff\xfe,bad\n"}), "services.csv is not UTF-8"),
    (package({"services.csv": SERVICES_HEADER, "phones.csv": b"id,number\n\x81\n"}),
     "phones.csv is not UTF-8"),
    (package({"services.csv": SERVICES_HEADER, "datapackage.json": "{not json"}),
     "datapackage.json is not valid JSON"),
    (package({"services.csv": 'id,name\n"unterminated,' + "x" * 200_000 + "\n"}),
     "services.csv is not valid CSV"),
])
def test_it_imports_nothing_from_a_package_it_cannot_read(organisation, content, reason):
    result = run_import(organisation, content, format="csv")
    assert reason in result.file_error
    assert Service.objects.count() == 0


def test_it_undoes_rows_already_read_when_the_package_breaks_later(organisation, counselling):
    rows = "".join(f"0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a{n:02d},,S{n},,,,active\n"
                   for n in range(3))
    content = package({"services.csv": (SERVICES_HEADER + rows).encode() + b"\xff\n"})
    result = run_import(organisation, content)
    assert "not UTF-8" in result.file_error
    assert list(Service.objects.values_list("name", flat=True)) == ["Harbour Counselling"]


def test_it_refuses_members_that_unpack_too_large(organisation, monkeypatch):
    monkeypatch.setattr(hsds_csv, "MAX_MEMBER_BYTES", 1000)
    content = package({"services.csv": SERVICES_HEADER + "0" * 5000 + "\n"})
    result = run_import(organisation, content)
    assert "services.csv is larger than" in result.file_error


def test_it_refuses_a_package_that_unpacks_too_large_in_all(organisation, monkeypatch):
    monkeypatch.setattr(hsds_csv, "MAX_TOTAL_BYTES", 1000)
    content = package({"services.csv": SERVICES_HEADER, "a.txt": "0" * 600, "b.txt": "0" * 600})
    assert "unpacks to more than" in run_import(organisation, content).file_error


def test_it_refuses_a_package_of_too_many_files(organisation, monkeypatch):
    monkeypatch.setattr(hsds_csv, "MAX_MEMBERS", 2)
    content = package({"services.csv": SERVICES_HEADER, "a.txt": "", "b.txt": ""})
    assert "more than 2 files" in run_import(organisation, content).file_error
