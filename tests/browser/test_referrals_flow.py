"""The referrals directory in a real browser.

An administrator exports the directory from the staff administration (HSDS JSON and the zip of
CSV tables), deletes every entry there, uploads the export and gets the same directory back,
field for field. A reporter searches the directory by kind of help and language, with and without
JavaScript, sees how to reach each service, and nothing leaves the site.
"""

import csv
import io
import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safelight.audit.models import Event
from safelight.referrals.default_services import DEMO_SERVICES, install_demo_services
from safelight.referrals.models import Category, Service
from tests.browser.conftest import Visit
from tests.browser.flow_helpers import confirmed_device, staff_sign_in, stored_files
from tests.intake.conftest import with_keys
from tests.referrals.conftest import make_service
from tests.referrals.snapshot import directory_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMATS = {
    # format: (radio label on the export form, file name ending)
    "json": ("HSDS JSON (one file)", ".json"),
    "csv": ("HSDS CSV (a zip of tables)", ".zip"),
}


@pytest.fixture
def media_root(settings, tmp_path):
    """Files of this test only: uploads land here, encrypted, until the request ends."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def directory(organisation):
    """The demo directory, plus an entry that is not listed: an export carries it too."""
    install_demo_services(organisation)
    make_service(
        organisation, name="Closed Drop-in Centre", active=False, last_verified=None,
        description="Closed for refurbishment.\nBack in the spring.", languages="en, so",
        categories=[Category.MEDICAL, Category.MENTAL_HEALTH],
    )
    count = Service.objects.filter(organisation=organisation).count()
    assert count == len(DEMO_SERVICES) + 1
    return count


@pytest.fixture
def staff(browser, live_server):
    """A browser of the administrator's own, with JavaScript (the Django admin's widgets use it),
    that accepts downloads."""
    visit = Visit(browser.new_context(java_script_enabled=True, accept_downloads=True),
                  live_server.url)
    yield visit
    visit.context.close()


def _export(page, base: str, organisation, fmt: str, tmp_path):
    """From the import/export page, download the directory in one format; returns the file."""
    label, ending = FORMATS[fmt]
    expect(page).to_have_url(base + "/staff/admin/referrals/service/hsds/")
    # The export form (the second "Directory of") starts on the administrator's own directory.
    expect(page.get_by_label("Directory of").last).to_have_value(str(organisation.pk))
    page.get_by_label(label).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.failure() is None
    today = timezone.localdate().isoformat()
    assert download.suggested_filename == f"referrals-acme-{today}{ending}"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def _check_export_lists_everything(path, fmt: str, count: int) -> None:
    data = path.read_bytes()
    if fmt == "json":
        names = {entry["name"] for entry in json.loads(data)["contents"]}
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert {"services.csv", "datapackage.json"} <= set(package.namelist())
            table = package.read("services.csv").decode("utf-8-sig")
        names = {row["name"] for row in csv.DictReader(io.StringIO(table))}
    assert names == set(Service.objects.values_list("name", flat=True))
    assert len(names) == count


def _delete_everything(page, base: str, count: int) -> None:
    """The list's own "Delete selected services" action, every row ticked by hand."""
    page.get_by_role("link", name="Services").first.click()
    expect(page).to_have_url(base + "/staff/admin/referrals/service/")
    rows = page.locator("input.action-select")
    expect(rows).to_have_count(count)
    for index in range(count):
        rows.nth(index).check()
    page.locator("select[name=action]").select_option(label="Delete selected services")
    page.get_by_role("button", name="Go").click()
    question = page.get_by_text("Are you sure you want to delete the selected services?")
    expect(question).to_be_visible()
    page.get_by_role("button", name="Yes, I\u2019m sure").click()
    expect(page).to_have_url(base + "/staff/admin/referrals/service/")
    expect(page.get_by_text(f"Successfully deleted {count} services.")).to_be_visible()
    expect(page.locator("input.action-select")).to_have_count(0)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_it_gives_back_the_same_directory_when_an_export_is_imported(
    fmt, staff, organisation, administrator, directory, media_root, tmp_path
):
    before = directory_snapshot(organisation)
    admin = with_keys(administrator)
    page = staff.page
    base = staff.base
    staff_sign_in(page, base, admin, confirmed_device(admin))

    # From the staff home page to the directory's import and export page.
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Services").first.click()
    expect(page).to_have_url(base + "/staff/admin/referrals/service/")
    expect(page.locator("input.action-select")).to_have_count(directory)
    page.get_by_role("link", name="Import or export (HSDS)").click()
    expect(page.get_by_role("heading", name="Import or export the directory")).to_be_visible()

    # Both exports download, each with every entry; the one under test is kept for the import.
    files = {name: _export(page, base, organisation, name, tmp_path) for name in FORMATS}
    for name, path in files.items():
        _check_export_lists_everything(path, name, directory)

    # Every entry goes, through the administration's audited delete.
    _delete_everything(page, base, directory)
    assert not Service.objects.exists()
    assert Event.objects.filter(action="service.delete").count() == directory

    # The export comes back in through the import form.
    page.get_by_role("link", name="Import or export (HSDS)").click()
    page.get_by_label("HSDS file").set_input_files(str(files[fmt]))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"Added {directory}, updated 0, left out 0."
    )
    expect(page.locator("tr.imported")).to_have_count(directory)
    expect(page.locator("tr.skipped")).to_have_count(0)
    expect(page.locator(".errornote")).to_have_count(0)
    assert Event.objects.get(action="referrals.import").actor == admin.user

    # The same directory: every field, the HSDS ids, the categories, listed or not.
    after = directory_snapshot(organisation)
    assert len(after) == directory
    assert after == before
    # The uploaded file, kept encrypted while the request ran, is gone with it.
    assert media_root.is_dir(), "the upload did not pass through the encrypted storage"
    assert stored_files(media_root) == []
    assert staff.foreign_requests() == []


def test_it_finds_services_by_kind_of_help_and_language(visit, organisation, directory):
    page = visit.page
    visit.goto("/acme/help/")
    expect(page.get_by_role("heading", name="Where to get help", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Quick exit")).to_be_visible()
    # Only listed entries are shown.
    expect(page.get_by_role("status")).to_have_text(f"{directory - 1} services found.")
    expect(page.get_by_role("heading", name="Closed Drop-in Centre")).to_have_count(0)

    # Shelter and housing, in Polish: the refuge and the national helpline, nothing else.
    page.get_by_label("Kind of help").select_option(label="Shelter and housing")
    page.get_by_label("Language").select_option(label="Polish")
    page.get_by_role("button", name="Search").click()
    # Sent with POST: the kind of help and the language stay out of the address (and history).
    expect(page).to_have_url(f"{visit.base}/acme/help/")
    expect(page.get_by_role("status")).to_have_text("2 services found.")
    services = page.locator("section.service")
    expect(services).to_have_count(2)
    expect(services.get_by_role("heading", level=2)).to_have_text(
        ["National Abuse Helpline (demo)", "Safe Haven Refuge (demo)"]
    )
    # The choices stay chosen.
    expect(page.get_by_label("Kind of help")).to_have_value("shelter_housing")
    expect(page.get_by_label("Language")).to_have_value("pl")

    # How to reach each one.
    refuge = services.filter(has_text="Safe Haven Refuge (demo)")
    phone = refuge.get_by_role("link", name="0808 157 0606")
    expect(phone).to_have_attribute("href", "tel:08081570606")
    expect(refuge.get_by_role("link", name="referrals@safehaven.example.org")).to_have_attribute(
        "href", "mailto:referrals@safehaven.example.org"
    )
    expect(refuge.get_by_role("link", name="https://safehaven.example.org/")).to_be_visible()
    expect(refuge).to_contain_text("Every day, 24 hours")
    expect(refuge).to_contain_text("Westmoor, North Dale, South Fen")
    expect(refuge).to_contain_text("Women, with or without children.")
    expect(refuge).to_contain_text("Shelter and housing")
    helpline = services.filter(has_text="National Abuse Helpline (demo)")
    expect(helpline.get_by_role("link", name="0808 157 0000")).to_have_attribute(
        "href", "tel:08081570000"
    )
    expect(helpline.get_by_role("link", name="https://helpline.example.org/chat")).to_be_visible()
    expect(helpline.locator("dd").filter(has_text="Anywhere")).to_be_visible()
    expect(helpline).to_contain_text("Polish")

    # A search with no match says so, and offers the whole list again.
    page.get_by_label("Kind of help").select_option(label="Legal advice")
    page.get_by_label("Language").select_option(label="Welsh")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 services found.")
    expect(page.get_by_text("No service matches this search.")).to_be_visible()
    page.get_by_role("link", name="Show all services").click()
    expect(page).to_have_url(visit.base + "/acme/help/")
    expect(page.get_by_role("status")).to_have_text(f"{directory - 1} services found.")

    # Nothing was fetched from anywhere else, and the quick exit still leaves.
    assert visit.foreign_requests() == []
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url("https://neutral.example/")
    assert visit.foreign_requests() == []
