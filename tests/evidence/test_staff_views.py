"""A handler's pages of a locker the survivor shared through their report: what the handlers of
the report see (read-only), and the 404 everyone else gets, through a real sign-in, a real report
and a real share."""

import io
import json
import zipfile

import pytest
from django.test import Client

from safelight.accounts import keyring
from safelight.audit.models import Event
from safelight.cases.actions import assign_case, declare_conflict
from safelight.evidence import actions, reading
from safelight.evidence.import_actions import import_messages
from safelight.evidence.models import Locker, LockerShare
from safelight.reports.models import Report
from tests.cases.conftest import opened_with_receipt, submit
from tests.conftest import sign_in
from tests.evidence.conftest import INCIDENT
from tests.evidence.helpers import upload
from tests.intake import flow
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
)

TITLE = "Canary-title-messages-after-the-party"
WHAT = "CANARY-he-wrote-he-would-come-to-my-flat"
PHOTO = b"\xff\xd8\xff\xe0 CANARY-photo-bytes with its EXIF"
THREAT = "CANARY-threat I will kill you if you go to the police"
NEUTRAL = "CANARY-neutral Are you coming to dinner on Sunday?"
CHAT = (
    f"02/03/2026, 21:38 - Sam: {NEUTRAL}\n"
    f"02/03/2026, 21:40 - Sam: {THREAT}\n"
    "02/03/2026, 21:41 - Rosa: Please stop writing to me.\n"
)
CANARIES = (TITLE, WHAT, "CANARY-photo-bytes", "CANARY-threat", "CANARY-neutral",
            "screenshot-canary.jpg", "WhatsApp Chat with Sam")


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(channel):  # noqa: F811
    return submit(channel)


@pytest.fixture
def report(submitted):
    return submitted[0]


@pytest.fixture
def filled(locker):
    """The survivor's locker with an incident (edited once, with a photo) and a chat import."""
    opened, _passphrase = locker
    incident = actions.save_incident(
        opened=opened, content={**INCIDENT, "title": TITLE},
        files=[upload("screenshot-canary.jpg", PHOTO, "image/jpeg")])
    actions.save_incident(opened=opened, content={**INCIDENT, "title": TITLE, "what": WHAT},
                          files=[], incident=incident)
    row = import_messages(opened=opened, upload=upload(
        "WhatsApp Chat with Sam.txt", CHAT.encode(), "text/plain"))
    return opened, incident, row


@pytest.fixture
def shared(filled, submitted, hana):  # noqa: F811
    """The locker, shared through the report, whose case is assigned to hana."""
    opened, incident, row = filled
    report, receipt = submitted
    assign_case(opened=opened_with_receipt(receipt), assignee=hana, by=hana)
    assert actions.share_with_report(opened=opened, report=report) == 2  # hana and ben
    return opened, incident, row


def base(opened) -> str:
    return f"/staff/evidence/{opened.locker.pk}/"


def urls(opened, incident, row) -> list[str]:
    file_id = reading.incident_view(opened, incident).files[0].id
    return [
        base(opened),
        f"{base(opened)}incidents/{incident.pk}/",
        f"{base(opened)}files/{file_id}/",
        f"{base(opened)}imports/{row.pk}/",
        f"{base(opened)}imports/{row.pk}/messages/",
        f"{base(opened)}imports/{row.pk}/messages/?group=1&show=1",
        f"{base(opened)}export/",
    ]


def test_it_shows_the_assigned_handler_the_timeline_and_the_counts(shared, hana, report):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), hana)
    page = client.get(base(opened))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Evidence locker shared by the reporter" in html
    assert f'href="{base(opened)}incidents/{incident.pk}/"' in html and TITLE in html
    assert f'href="/staff/reports/{report.pk}/"' in html  # the report it came through
    counts = reading.import_view(opened, row).counts
    assert counts["threat"] >= 1
    [entry] = page.context["imports"]
    assert {c["key"]: c["count"] for c in entry["categories"]} == counts
    assert '<tr data-category="threat"><td>' in html
    assert "CANARY-threat" not in html and "CANARY-neutral" not in html  # counts only
    assert Event.objects.filter(action="evidence.locker_viewed", actor=hana.user,
                                organisation=hana.organisation,
                                target_id=str(opened.locker.pk)).count() == 1


def test_it_shows_an_incident_with_its_history_and_its_files(shared, hana):  # noqa: F811
    opened, incident, _row = shared
    client = sign_in(Client(), hana)
    page = client.get(f"{base(opened)}incidents/{incident.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert WHAT in html and INCIDENT["what"] in html  # the current version and the first
    assert [v.number for v in page.context["incident"].versions] == [1, 2]
    file_id = page.context["incident"].files[0].id
    assert f'href="{base(opened)}files/{file_id}/"' in html
    download = client.get(f"{base(opened)}files/{file_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PHOTO
    assert "screenshot-canary.jpg" in download["Content-Disposition"]
    assert Event.objects.filter(action="evidence.file_downloaded", actor=hana.user,
                                target_id=file_id).count() == 1


def test_it_shows_counts_first_and_flagged_messages_only_after_a_warning(shared, hana):  # noqa: F811
    opened, _incident, row = shared
    client = sign_in(Client(), hana)
    counts_page = client.get(f"{base(opened)}imports/{row.pk}/")
    assert counts_page.status_code == 200
    html = counts_page.content.decode()
    assert 'id="flag-counts"' in html and "CANARY-threat" not in html
    assert f'href="{base(opened)}imports/{row.pk}/messages/?group=1"' in html
    warning = client.get(f"{base(opened)}imports/{row.pk}/messages/?group=1")
    assert warning.status_code == 200
    assert "Before you read" in warning.content.decode()
    assert "CANARY-threat" not in warning.content.decode()
    shown = client.get(f"{base(opened)}imports/{row.pk}/messages/?group=1&show=1")
    assert THREAT in shown.content.decode()
    assert NEUTRAL not in shown.content.decode()
    assert client.get(f"{base(opened)}imports/{row.pk}/messages/?group=nope").status_code == 404


def test_it_folds_flagged_messages_in_the_list_of_all(shared, hana):  # noqa: F811
    opened, _incident, row = shared
    client = sign_in(Client(), hana)
    html = client.get(f"{base(opened)}imports/{row.pk}/messages/").content.decode()
    folded = html.split("<details>")
    assert len(folded) == 2  # only the threat is folded
    assert THREAT in folded[1].split("</details>")[0]
    assert NEUTRAL in folded[0] and "Please stop writing to me." in html


def test_it_exports_a_bundle_and_records_who_did(shared, hana):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), hana)
    form = client.get(f"{base(opened)}export/")
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    response = client.post(f"{base(opened)}export/",
                           {"incidents": [str(incident.pk)], f"import_{row.pk}": "flagged"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.json" in bundle.namelist()
    assert json.loads(bundle.read("manifest.json"))
    assert Event.objects.filter(action="evidence.bundle_exported", actor=hana.user,
                                target_id=str(opened.locker.pk)).count() == 1


def test_it_never_changes_the_locker(shared, hana):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), hana)
    before = Locker.objects.get(pk=opened.locker.pk).log_size
    for url in urls(opened, incident, row)[:-1]:
        assert client.post(url, {"title": "changed"}).status_code == 405
    assert Locker.objects.get(pk=opened.locker.pk).log_size == before
    assert incident.versions.count() == 2


def test_it_gives_404_to_a_handler_of_another_channel(shared, olga, other_channel):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), olga)
    for url in urls(opened, incident, row):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base(opened)}export/", {}).status_code == 404
    assert not Event.objects.filter(actor=olga.user, action__startswith="evidence.").exists()


def test_it_gives_404_to_a_handler_the_reporter_excluded(filled, channel, hana, ben):  # noqa: F811
    opened, incident, row = filled
    flow.report(Client(), channel, {3: {"q_excluded": [str(ben.pk)]}})
    report = Report.objects.get()
    assert actions.share_with_report(opened=opened, report=report) == 1
    assert not LockerShare.objects.filter(handler=ben).exists()
    excluded = sign_in(Client(), ben)
    for url in urls(opened, incident, row):
        assert excluded.get(url).status_code == 404, url
    assert sign_in(Client(), hana).get(base(opened)).status_code == 200


def test_it_gives_404_for_a_locker_or_an_item_not_shared(shared, hana):  # noqa: F811
    opened, _incident, _row = shared
    other, _passphrase = actions.create_locker()
    client = sign_in(Client(), hana)
    assert client.get(f"/staff/evidence/{other.locker.pk}/").status_code == 404
    stranger = actions.save_incident(opened=other, content=INCIDENT, files=[])
    assert client.get(f"{base(opened)}incidents/{stranger.pk}/").status_code == 404


def test_it_sends_a_handler_without_an_unlocked_key_to_sign_in(shared, hana):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), hana)
    del client.cookies[keyring.COOKIE]
    response = client.get(base(opened))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")
    for url in urls(opened, incident, row):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
    assert not Event.objects.filter(action="evidence.locker_viewed").exists()


def test_it_gives_404_once_the_reporter_stops_sharing(shared, hana, report):  # noqa: F811
    opened, _incident, _row = shared
    client = sign_in(Client(), hana)
    assert client.get(base(opened)).status_code == 200
    actions.stop_sharing(opened=opened, report=report)
    assert client.get(base(opened)).status_code == 404
    assert "shared-lockers" not in client.get(f"/staff/reports/{report.pk}/").content.decode()


def test_it_gives_404_once_the_handler_declares_a_conflict(shared, ben, report):  # noqa: F811
    opened, _incident, _row = shared
    client = sign_in(Client(), ben)
    assert client.get(base(opened)).status_code == 200
    declare_conflict(report=report, handler=ben)
    assert client.get(base(opened)).status_code == 404


def test_it_shows_the_panel_on_the_case_page_only_when_shared(filled, submitted, channel, hana):  # noqa: F811
    opened, _incident, _row = filled
    report, _receipt = submitted
    other_report, _other_receipt = submit(channel)
    client = sign_in(Client(), hana)
    page = client.get(f"/staff/reports/{report.pk}/")
    assert page.status_code == 200 and page.context["shared_lockers"] == []
    assert "Evidence locker shared by the reporter" not in page.content.decode()
    actions.share_with_report(opened=opened, report=report)
    html = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert 'id="shared-lockers"' in html and "Evidence locker shared by the reporter" in html
    assert f'href="{base(opened)}"' in html
    other = client.get(f"/staff/reports/{other_report.pk}/").content.decode()
    assert "shared-lockers" not in other  # shared through one report, not every report


def test_it_keeps_the_locker_out_of_the_audit_log(shared, hana):  # noqa: F811
    opened, incident, row = shared
    client = sign_in(Client(), hana)
    for url in urls(opened, incident, row):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    bundle = client.post(f"{base(opened)}export/",
                         {"incidents": [str(incident.pk)], f"import_{row.pk}": "all"})
    assert bundle.streaming and b"".join(bundle.streaming_content)
    logged = str(list(Event.objects.values()))
    assert "evidence.locker_viewed" in logged
    for canary in CANARIES:
        assert canary not in logged
