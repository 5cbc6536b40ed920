"""The reporter side's landing pages: what to expect, urgent help, staying safe, quick exit."""

import pytest

from safelight.accounts.actions import create_organisation


@pytest.mark.django_db
def test_it_takes_the_person_straight_to_the_only_organisation(organisation, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/acme/"


@pytest.mark.django_db
def test_it_lets_the_person_choose_among_organisations(organisation, client):
    create_organisation(name="Beta Helpline", slug="beta")
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/acme/"' in response.content and b'href="/beta/"' in response.content


@pytest.mark.django_db
def test_it_says_so_when_no_organisation_receives_reports(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"No organisation receives reports here yet." in response.content


@pytest.mark.django_db
def test_it_shows_the_organisation_urgent_help_and_safety_advice(organisation, client):
    response = client.get("/acme/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tell Acme Platform what happened" in content
    assert "We read every report within two working days." in content
    assert "If you are in danger now" in content and "Emergency services: 112" in content
    assert "You can report without giving your name." in content
    assert "a device they cannot reach" in content


@pytest.mark.django_db
def test_it_puts_the_quick_exit_first_on_every_reporter_page(organisation, client):
    for url in ("/", "/acme/", "/help/safety/", "/no-such-organisation/"):
        response = client.get(url, follow=True)
        content = response.content.decode()
        assert "data-quick-exit" in content, url
        assert content.index("data-quick-exit") < content.index("<main"), url
        # The link goes through the exit address (it ends the sessions), then to the neutral page.
        assert 'href="/exit/' in content, url
        assert 'data-neutral-url="https://neutral.example/"' in content, url
        final = client.get("/exit/", follow=False)
        assert final["Location"] == "https://neutral.example/", url


@pytest.mark.django_db
def test_it_uses_the_organisation_quick_exit_address(organisation, client):
    organisation.quick_exit_url = "https://weather.example/today"
    organisation.save()
    content = client.get("/acme/").content.decode()
    assert 'data-neutral-url="https://weather.example/today"' in content
    assert f'href="/exit/?o={organisation.pk}"' in content
    assert 'rel="noreferrer noopener"' in content
    assert client.get(f"/exit/?o={organisation.pk}")["Location"] == "https://weather.example/today"


@pytest.mark.django_db
def test_it_loads_nothing_from_another_host_and_runs_no_inline_script(organisation, client):
    content = client.get("/acme/").content.decode()
    assert "<script>" not in content and "style=" not in content
    assert 'src="/static/' in content and 'href="/static/' in content
    assert "//" not in content.replace("https://neutral.example/", "").split("<body>")[0]


@pytest.mark.django_db
def test_it_sets_no_cookie_for_a_reporter_who_only_reads(organisation, client):
    response = client.get("/acme/")
    assert not response.cookies


def test_it_links_the_directory_of_help_when_there_is_one(client, channel):
    from safelight.referrals.default_services import install_demo_services

    assert "/acme/help/" not in client.get("/acme/").content.decode()
    install_demo_services(channel.organisation)
    assert "/acme/help/" in client.get("/acme/").content.decode()


@pytest.mark.django_db
def test_it_links_the_evidence_locker_from_every_organisation_page(organisation, client):
    """`/` takes the person straight to the only organisation: its page must offer the locker."""
    create_organisation(name="Beta Helpline", slug="beta")
    for url in ("/acme/", "/beta/"):
        content = client.get(url).content.decode()
        assert 'href="/locker/"' in content and "Open the evidence locker" in content
