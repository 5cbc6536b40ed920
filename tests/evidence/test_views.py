"""The survivor's pages, without JavaScript: the door, a new locker, incidents, history."""

import re

import pytest
from django.test import Client

from safelight.evidence import actions, reading, session
from safelight.evidence.models import Incident, Locker
from tests.evidence.conftest import INCIDENT


@pytest.mark.django_db
def test_it_makes_a_locker_and_shows_its_passphrase_once():
    client = Client()
    page = client.get("/locker/")
    assert page.status_code == 200
    assert "Make my locker" in page.content.decode()
    made = client.post("/locker/new/")
    text = made.content.decode()
    passphrase = re.search(r'id="passphrase"><code>([a-z ]+)</code>', text).group(1)
    assert len(passphrase.split()) == 7
    assert "only time it is shown" in text
    assert Locker.objects.count() == 1
    home = client.get("/locker/home/")  # the cookie keeps it open
    assert home.status_code == 200
    assert "Timeline of incidents" in home.content.decode()
    assert passphrase not in home.content.decode()


@pytest.mark.django_db
def test_it_opens_with_the_passphrase_and_says_plainly_what_is_wrong(locker):
    _opened, passphrase = locker
    client = Client()
    typo = passphrase.split()
    typo[2] = typo[2] + "x"
    wrong = client.post("/locker/", {"passphrase": " ".join(typo)})
    text = wrong.content.decode()
    assert "Word 3 is not one of the passphrase words" in text
    assert " ".join(typo) in text  # what they typed stays on the page
    short = client.post("/locker/", {"passphrase": "one two"})
    assert "A passphrase has seven words" in short.content.decode()
    opened = client.post("/locker/", {"passphrase": passphrase.upper()})
    assert opened.status_code == 302 and opened["Location"] == "/locker/home/"
    assert client.get("/locker/home/").status_code == 200


@pytest.mark.django_db
def test_it_shows_the_neutral_page_for_a_closed_locker(locker_client):
    assert locker_client.get("/locker/home/").status_code == 200
    closing = locker_client.post("/locker/close/")
    assert closing["Location"] == "/locker/"
    assert locker_client.get("/locker/home/").status_code == 410
    assert Client().get("/locker/incidents/new/").status_code == 410


@pytest.mark.django_db
def test_it_saves_an_incident_and_keeps_its_history(locker, locker_client):
    opened, _ = locker
    form = {"title": "After the party", "start_date": "2026-03-02", "start_time": "21:40",
            "kind": "threats", "platform": "Instagram", "who": "@some.user",
            "what": "He said he would come to my flat.", "impact": "",
            "urls": "https://www.instagram.com/p/abc/ 2026-03-02 21:45", "notes": ""}
    saved = locker_client.post("/locker/incidents/new/", form)
    incident = Incident.objects.get()
    assert saved["Location"] == f"/locker/incidents/{incident.pk}/"
    page = locker_client.get(saved["Location"]).content.decode()
    assert "He said he would come to my flat." in page
    assert "2026-03-02 21:40" in page
    locker_client.post(f"/locker/incidents/{incident.pk}/edit/",
                       {**form, "what": "He said it twice."})
    page = locker_client.get(saved["Location"]).content.decode()
    assert "He said it twice." in page
    assert "History" in page and "Version 1" in page
    view = reading.incident_view(opened, Incident.objects.get(), history=True)
    assert [v.content["what"] for v in view.versions] == [
        "He said he would come to my flat.", "He said it twice."]
    assert view.content["urls"] == [{"url": "https://www.instagram.com/p/abc/",
                                     "captured_at": "2026-03-02 21:45"}]


@pytest.mark.django_db
def test_it_keeps_bad_input_on_the_page_and_stores_nothing(locker_client):
    form = {"what": "Something I do not want to type twice", "urls": "not a link",
            "start_date": "2026-03-05", "end_date": "2026-03-01"}
    page = locker_client.post("/locker/incidents/new/", form).content.decode()
    assert "Line 1 is not a web link" in page
    assert "This is before the start" in page
    assert "Something I do not want to type twice" in page
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_it_stores_incident_files_unchanged(locker, locker_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"\x89PNG\r\n\x1a\n screenshot bytes"
    locker_client.post("/locker/incidents/new/", {
        "what": "Screenshot of the post",
        "files": [SimpleUploadedFile("shot.png", data, content_type="image/png")]})
    opened, _ = locker
    [view] = reading.incidents(opened)
    [file_view] = view.files
    download = locker_client.get(f"/locker/files/{file_view.id}/")
    assert b"".join(download.streaming_content) == data
    assert "attachment" in download["Content-Disposition"]
    assert "shot" not in download["Content-Disposition"]  # a neutral name on the device
    assert download["Content-Disposition"].endswith('.png"')


@pytest.mark.django_db
def test_it_gives_404_for_another_lockers_items(locker, locker_client):
    other, _ = actions.create_locker()
    incident = actions.save_incident(opened=other, content=INCIDENT, files=[])
    assert locker_client.get(f"/locker/incidents/{incident.pk}/").status_code == 404
    assert locker_client.get(f"/locker/incidents/{incident.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_it_deletes_the_locker_only_when_ticked(locker, locker_client):
    page = locker_client.post("/locker/delete/", {})
    assert page.status_code == 200 and Locker.objects.exists()
    done = locker_client.post("/locker/delete/", {"confirm": "on"})
    assert "Your locker was deleted" in done.content.decode()
    assert not Locker.objects.exists()
    assert done.cookies[session.COOKIE].value == ""


@pytest.mark.django_db
def test_every_locker_page_has_the_quick_exit_and_no_cache(locker_client):
    for url in ("/locker/home/", "/locker/incidents/new/", "/locker/imports/new/",
                "/locker/export/", "/locker/share/", "/locker/delete/"):
        response = locker_client.get(url)
        assert response.status_code == 200, url
        assert 'id="quick-exit"' in response.content.decode(), url
        assert "no-store" in response["Cache-Control"], url
