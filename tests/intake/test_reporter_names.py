"""Reporters see handlers' display names, never their usernames (issue 20, item 5)."""

from __future__ import annotations

import pytest

from safelight.accounts.actions import create_handler
from safelight.accounts.models import Handler
from safelight.intake.questions import display_name
from safelight.reports.models import Channel

pytestmark = pytest.mark.django_db

USERNAMES = ("demo-admin", "demo-handler", "demo-investigator", "demo-counsellor")


def test_it_never_falls_back_to_the_username(organisation):
    handler = create_handler(organisation=organisation, username="secret-login",
                             password="correct horse battery staple")
    assert "secret-login" not in display_name(handler)
    handler.display_name = "Sam (people team)"
    assert display_name(handler) == "Sam (people team)"


def test_it_shows_no_username_on_the_reporter_pages(client, demo_organisation):
    pages = [f"/{demo_organisation.slug}/"]
    for channel in Channel.objects.filter(organisation=demo_organisation):
        pages.append(f"/{demo_organisation.slug}/{channel.slug}/")
    seen = ""
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        seen += response.content.decode()
    for username in USERNAMES:
        assert username not in seen
    assert Handler.objects.get(user__username="demo-handler").display_name in seen
