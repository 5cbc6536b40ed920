"""No cookie the reporter side sets outlives the browser session, and Quick exit removes them all.

A test client walks the reporter's pages (landing, channel, every step, review, sending, the
receipt's follow-up, the help directory, the evidence locker) and reads every Set-Cookie: none
may carry Max-Age or Expires, except a deletion.
"""

from http.cookies import Morsel

import pytest
from django.conf import settings
from django.test import Client

from safelight.evidence import session as locker_session
from safelight.intake import drafts, followup
from tests.intake import flow


class Walk:
    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=False)
        self.set: dict[str, list[tuple[str, Morsel]]] = {}

    def go(self, method: str, path: str, data: dict | None = None):
        response = getattr(self.client, method)(path, data or {})
        assert response.status_code < 500, (path, response.status_code)
        for name, morsel in response.cookies.items():
            self.set.setdefault(name, []).append((f"{method.upper()} {path}", morsel))
        return response


def _is_deletion(morsel: Morsel) -> bool:
    return morsel.value == "" and morsel["max-age"] == 0


@pytest.fixture
def walk(channel):
    walk = Walk()
    organisation = channel.organisation
    walk.go("get", "/")
    walk.go("get", f"/{organisation.slug}/")
    walk.go("get", f"/{organisation.slug}/help/")
    walk.go("get", "/help/safety/")
    walk.go("get", f"/{organisation.slug}/{channel.slug}/")
    walk.go("post", f"/{organisation.slug}/{channel.slug}/")
    steps = channel.questionnaire.steps.count()
    for number in range(1, steps + 1):
        walk.go("get", flow.step_url(channel, number))
        data = {"go": "next"}
        if number == 1:
            data["q_what_happened"] = "Messages at night."
        walk.go("post", flow.step_url(channel, number), data)
    walk.go("get", flow.review_url(channel))
    sent = walk.go("post", flow.review_url(channel))
    receipt = flow.RECEIPT.search(sent.content.decode()).group(1)
    walk.go("get", "/receipt/")
    walk.go("post", "/receipt/", {"receipt": receipt})
    walk.go("get", "/receipt/report/")
    walk.go("get", "/locker/")
    walk.go("post", "/locker/new/")
    walk.go("get", "/locker/home/")
    walk.go("get", "/locker/incidents/new/")
    walk.go("get", "/no/such/page/")
    return walk


def test_every_reporter_cookie_ends_with_the_browser_session(walk):
    # The walk really met every kind of cookie the reporter side sets.
    for name in (drafts.COOKIE, followup.COOKIE, locker_session.COOKIE,
                 settings.CSRF_COOKIE_NAME):
        assert any(not _is_deletion(m) for _, m in walk.set.get(name, [])), name
    for name, seen in walk.set.items():
        for where, morsel in seen:
            if _is_deletion(morsel):
                continue
            assert morsel["max-age"] == "", (name, where, morsel.OutputString())
            assert morsel["expires"] == "", (name, where, morsel.OutputString())
            assert morsel["httponly"] or name == settings.CSRF_COOKIE_NAME, (name, where)
            assert morsel["samesite"] == "Strict", (name, where)


def test_quick_exit_removes_every_cookie_the_walk_set(walk):
    response = walk.client.get("/exit/")
    deleted = {name for name, morsel in response.cookies.items() if _is_deletion(morsel)}
    assert set(walk.set) <= deleted, set(walk.set) - deleted
    assert not [name for name, morsel in walk.client.cookies.items() if morsel.value]
