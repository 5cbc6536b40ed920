"""Follow-up and locker sessions end on the server: a cookie copied before Leave, Close my
locker or Delete opens nothing afterwards; sessions end at an absolute expiry; the periodic run
removes expired rows; the server keeps only a hash of the session id."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from safelight import tasks
from safelight.evidence import session as locker_session
from safelight.intake import followup, reporter_sessions, session_actions
from safelight.intake.models import ReporterSession
from tests.evidence.conftest import locker, locker_client  # noqa: F401
from tests.intake import flow


def copy_of(client: Client) -> Client:
    other = Client()
    for name, morsel in client.cookies.items():
        if morsel.value:
            other.cookies[name] = morsel.value
    return other


@pytest.fixture
def receipt(channel):
    return flow.report(Client(), channel, {1: {"q_what_happened": "Threats by text."}})


@pytest.fixture
def followup_client(receipt):
    client = Client()
    assert client.post("/receipt/", {"receipt": receipt}).status_code == 302
    assert client.get("/receipt/report/").status_code == 200
    return client


def test_it_ends_the_follow_up_on_the_server_when_the_reporter_leaves(followup_client):
    copied = copy_of(followup_client)
    assert copied.get("/receipt/report/").status_code == 200
    followup_client.post("/receipt/leave/")
    page = copied.get("/receipt/report/")
    assert page.status_code == 410
    assert "Harassment at work" not in page.content.decode()
    assert not ReporterSession.objects.exists()


def test_it_ends_the_locker_on_the_server_when_it_is_closed(locker_client):  # noqa: F811
    copied = copy_of(locker_client)
    assert copied.get("/locker/home/").status_code == 200
    locker_client.post("/locker/close/")
    assert copy_of(copied).get("/locker/home/").status_code == 410
    assert copy_of(copied).get("/locker/incidents/new/").status_code == 410
    assert not ReporterSession.objects.exists()


def test_it_ends_the_locker_session_when_the_locker_is_deleted(locker_client):  # noqa: F811
    locker_client.post("/locker/delete/", {"confirm": "on"})
    assert not ReporterSession.objects.exists()


def test_it_keeps_one_session_while_the_follow_up_is_used(followup_client):
    for _ in range(3):
        assert followup_client.get("/receipt/report/").status_code == 200
    assert ReporterSession.objects.filter(kind=reporter_sessions.FOLLOWUP).count() == 1


def test_it_refuses_a_session_past_its_absolute_expiry(followup_client):
    ReporterSession.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert followup_client.get("/receipt/report/").status_code == 410


def test_it_refuses_a_locker_cookie_for_the_follow_up_and_the_other_way_round(
        followup_client, locker_client):  # noqa: F811
    # A session is good only for its own kind (and each cookie is sealed for its own use).
    session = ReporterSession.objects.get(kind=reporter_sessions.FOLLOWUP)
    session.kind = reporter_sessions.LOCKER
    session.save()
    assert followup_client.get("/receipt/report/").status_code == 410


def test_it_keeps_only_a_hash_of_the_session_id(db):
    session_id = session_actions.start_reporter_session(kind=reporter_sessions.LOCKER)
    row = ReporterSession.objects.get()
    assert row.id_hash == reporter_sessions.id_hash(session_id)
    assert session_id not in row.id_hash
    assert [f.name for f in ReporterSession._meta.get_fields()] == [
        "id_hash", "kind", "expires_at"]
    assert reporter_sessions.is_live(reporter_sessions.LOCKER, session_id)
    assert not reporter_sessions.is_live(reporter_sessions.FOLLOWUP, session_id)
    assert not reporter_sessions.is_live(reporter_sessions.LOCKER, row.id_hash)


def test_the_periodic_run_removes_expired_sessions(db):
    live = session_actions.start_reporter_session(kind=reporter_sessions.FOLLOWUP)
    old = session_actions.start_reporter_session(kind=reporter_sessions.LOCKER)
    ReporterSession.objects.filter(id_hash=reporter_sessions.id_hash(old)).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))
    counts = tasks.periodic.call()
    assert counts["reporter_sessions_purged"] == 1
    assert list(ReporterSession.objects.values_list("id_hash", flat=True)) == [
        reporter_sessions.id_hash(live)]


def test_it_reads_the_session_id_only_from_a_genuine_cookie(followup_client):
    request = Client().get("/").wsgi_request
    request.COOKIES = {followup.COOKIE: followup_client.cookies[followup.COOKIE].value}
    assert followup.session_id(request) is not None
    assert locker_session.session_id(request) is None
    request.COOKIES = {followup.COOKIE: "AAAA", locker_session.COOKIE: "AAAA"}
    assert followup.session_id(request) is None and locker_session.session_id(request) is None
