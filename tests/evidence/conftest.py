import pytest
from django.test import Client

from safelight.evidence import actions, session


@pytest.fixture
def locker(db):
    """A new locker, opened: (OpenLocker, passphrase)."""
    return actions.create_locker()


@pytest.fixture
def locker_client(locker):
    """A browser (test client) with the locker open."""
    opened, _passphrase = locker
    client = Client()
    response = client.get("/")
    session.keep_open(response, opened)
    client.cookies[session.COOKIE] = response.cookies[session.COOKIE].value
    return client


INCIDENT = {
    "title": "Messages after the party", "start": "2026-03-02T21:40", "end": "",
    "kind": "threats", "platform": "Instagram", "who": "@some.user",
    "what": "He wrote that he would come to my flat.", "impact": "I could not sleep.",
    "notes": "", "urls": [{"url": "https://www.instagram.com/p/abc/",
                          "captured_at": "2026-03-02 21:45"}],
}
