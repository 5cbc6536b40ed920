"""The reporter side's directory page: /<organisation>/help/."""

import html
import re

import pytest
from django.urls import reverse

from safelight.referrals.models import Category
from safelight.referrals.views import public_directory
from tests.referrals.conftest import make_service

URL = "/acme/help/"


def names(response) -> list[str]:
    found = re.findall(r'<h2 id="service-\d+">([^<]+)</h2>', response.content.decode())
    return [html.unescape(name) for name in found]


def test_it_lives_under_the_organisation_s_address(organisation):
    assert reverse("intake:referrals:search", args=["acme"]) == URL


def test_it_lists_every_listed_service_with_all_ways_to_reach_it(
        client, counselling, law_line, unlisted, foreign_service):
    response = client.get(URL)
    content = response.content.decode()

    assert response.status_code == 200
    assert names(response) == ["Family Law Advice Line", "Harbour Counselling"]
    assert 'href="tel:01632960345"' in content and 'href="sms:07700900345"' in content
    assert 'href="mailto:hello@harbour.example.org"' in content
    assert 'href="https://harbour.example.org/" rel="noreferrer noopener"' in content
    assert 'href="https://harbour.example.org/chat" rel="noreferrer noopener"' in content
    assert "Monday to Thursday 09:00-19:00<br>Friday 09:00-15:00" in content
    assert "English, Welsh, British Sign Language" in content
    assert "Sessions by video with BSL interpreters." in content
    assert "Mental health and counselling" in content
    assert "Run by Harbour Trust" in content
    assert f"Last checked {counselling.last_verified:%-d %B %Y}." in content
    assert "2 services found." in content


def test_it_says_when_an_entry_was_never_or_long_ago_checked(client, organisation):
    import datetime

    make_service(organisation, name="Never", last_verified=None)
    make_service(organisation, name="Long Ago", last_verified=datetime.date(2020, 5, 1))
    content = client.get(URL).content.decode()
    assert "These details have not been checked yet." in content
    assert "Last checked 1 May 2020. That was more than a year ago" in content


def test_it_filters_with_a_plain_post_form(client, counselling, law_line, national_helpline):
    content = client.get(URL).content.decode()
    assert '<form method="post" autocomplete="off"' in content
    assert "<script" not in content.split("</head>")[1]

    assert names(client.post(URL, {"q": "legal"})) == ["Family Law Advice Line"]
    assert names(client.post(URL, {"category": Category.MENTAL_HEALTH})) == [
        "Harbour Counselling", "National Abuse Helpline"]
    assert names(client.post(URL, {"region": "North Dale"})) == [
        "Harbour Counselling", "National Abuse Helpline"]
    assert names(client.post(URL, {"language": "pl"})) == ["Family Law Advice Line"]
    assert names(client.post(URL, {"q": "helpline", "category": "", "region": "",
                                   "language": ""})) == ["National Abuse Helpline"]


def test_it_keeps_what_was_searched_out_of_the_address(client, counselling, law_line):
    """The address is kept in the browser's history: no kind of help or words in it."""
    response = client.post(URL, {"q": "advice", "category": Category.LEGAL})
    content = response.content.decode()
    assert names(response) == ["Family Law Advice Line"]
    assert "?category" not in content and "?q=" not in content and "legal&" not in content
    # A filter in the address is not read at all.
    assert names(client.get(URL, {"category": Category.LEGAL})) == [
        "Family Law Advice Line", "Harbour Counselling"]


def test_it_keeps_the_search_in_the_form(client, counselling, law_line):
    content = client.post(URL, {"q": "advice line", "region": "Westmoor"}).content.decode()
    assert 'value="advice line"' in content
    assert '<option value="Westmoor" selected>Westmoor</option>' in content
    assert "Show all services" in content


def test_it_explains_a_choice_it_does_not_know_and_keeps_the_rest(client, counselling,
                                                                  law_line):
    response = client.post(URL, {"q": "harbour", "category": "food"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. food is not one of the available choices." in content
    assert 'value="harbour"' in content
    assert names(response) == ["Harbour Counselling"]


def test_it_says_when_nothing_matches(client, counselling):
    content = client.post(URL, {"q": "unicorn"}).content.decode()
    assert "No service matches this search." in content and "0 services found." in content


def test_it_says_when_the_directory_is_empty(client, organisation):
    assert "has not listed any services yet" in client.get(URL).content.decode()


def test_it_pages_the_results_and_keeps_the_search(client, organisation, monkeypatch):
    monkeypatch.setattr(public_directory, "PAGE_SIZE", 2)
    for n in range(5):
        make_service(organisation, name=f"Legal Service {n}", categories=[Category.LEGAL])
    response = client.post(URL, {"category": "legal", "page": 2})
    content = response.content.decode()
    assert names(response) == ["Legal Service 2", "Legal Service 3"]
    assert "Page 2 of 3" in content
    # The pages are buttons of the search form: the search goes with them, not in the address.
    assert 'form="search-form" name="page" value="3"' in content
    assert 'form="search-form" name="page" value="1"' in content
    assert "href=\"?" not in content
    assert names(client.post(URL, {"page": "nonsense"})) == ["Legal Service 0", "Legal Service 1"]


def test_it_gives_404_for_an_unknown_organisation(client, counselling):
    assert client.get("/no-such-organisation/help/").status_code == 404


def test_it_shows_only_the_organisation_s_own_services(client, counselling, foreign_service):
    assert names(client.get("/beta/help/")) == ["Beta's Own Law Clinic"]


@pytest.mark.django_db
def test_it_is_a_safe_reporter_page(client, counselling):
    response = client.get(URL)
    content = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "data-quick-exit" in content
    assert content.index("data-quick-exit") < content.index("<main")
    # Nothing is fetched from another host: every script, style and image is Safelight's own.
    for attribute in re.findall(r'<(?:script|link|img|iframe)\b[^>]*>', content):
        assert "http" not in attribute.replace(' rel="noreferrer noopener"', ""), attribute
    # Links out to services do not tell them where the reader came from.
    for link in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', content):
        if "data-quick-exit" not in link:
            assert 'rel="noreferrer noopener"' in link, link
