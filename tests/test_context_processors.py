"""Page titles are kept in the browser's history: every reporter, follow-up, help and locker page
has one neutral title, the organisation's own if an administrator set one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from safelight.accounts.actions import create_organisation
from safelight.context_processors import neutral_page_title
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401
from tests.intake.flow import report, review_url, start, step_url

TEMPLATES = Path(__file__).parents[1] / "safelight" / "templates"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title(response) -> str:
    return TITLE.search(response.content.decode()).group(1).strip()


def reporter_pages(client, channel) -> dict[str, object]:  # noqa: F811
    organisation = channel.organisation.slug
    pages = {url: client.get(url) for url in (
        f"/{organisation}/", f"/{organisation}/help/", "/help/safety/", "/receipt/", "/locker/",
        f"/{organisation}/{channel.slug}/")}
    start(client, channel)
    for number in range(1, channel.questionnaire.steps.count() + 1):
        pages[step_url(channel, number)] = client.get(step_url(channel, number))
    pages[review_url(channel)] = client.get(review_url(channel))
    return pages


@pytest.mark.django_db
def test_it_gives_every_reporter_page_the_same_neutral_title(client, channel):  # noqa: F811
    for url, response in reporter_pages(client, channel).items():
        assert response.status_code == 200, url
        assert title(response) == "Online form", url


@pytest.mark.django_db
def test_it_uses_the_organisation_s_own_neutral_title(client, channel):  # noqa: F811
    channel.organisation.page_title = "Acme forms"
    channel.organisation.save()
    for url, response in reporter_pages(client, channel).items():
        assert title(response) == "Acme forms", url
    # The follow-up page of a report, after sending.
    receipt = report(client, channel, {1: {"q_what_happened": "Something."}})
    client.post("/receipt/", {"receipt": receipt})
    response = client.get("/receipt/report/")
    assert response.status_code == 200 and title(response) == "Acme forms"


@pytest.mark.django_db
def test_it_uses_the_default_where_several_organisations_could_be_meant(organisation):
    organisation.page_title = "Acme forms"
    organisation.save()
    assert neutral_page_title() == "Acme forms"
    create_organisation(name="Beta", slug="beta", introduction="", urgent_help="")
    assert neutral_page_title() == "Online form"


def test_it_lets_no_reporter_template_set_a_title_of_its_own():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if '{% extends "safelight/base_reporter.html" %}' in text and path.parent != TEMPLATES:
            assert "{% block title %}" not in text, path


@pytest.mark.django_db
def test_it_keeps_the_staff_pages_titles(client):
    response = client.get("/staff/sign-in/")
    assert response.status_code == 200 and title(response) == "Sign in"
