"""A handler signs in on the staff side in a real browser: form posts pass CSRF protection."""

import pytest

from safelight.accounts.actions import create_handler, create_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def test_it_signs_a_handler_in_through_the_login_form(browser, live_server):
    organisation = create_organisation(name="Acme Platform", slug="acme")
    create_handler(organisation=organisation, username="ada", password=PASSWORD, administrator=True)
    context = browser.new_context()
    page = context.new_page()
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/staff/admin/")
    assert page.get_by_role("heading", name="Administration").is_visible()
    # The browser said where the form came from, so CSRF protection could check it.
    assert posts[0].headers["origin"] == live_server.url
    context.close()


def test_it_refuses_a_wrong_password_and_keeps_the_username(browser, live_server):
    organisation = create_organisation(name="Acme Platform", slug="acme")
    create_handler(organisation=organisation, username="ada", password=PASSWORD)
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/staff/admin/login/" in page.url
    assert page.get_by_text("Please enter the correct username and password").is_visible()
    assert page.get_by_label("Username").input_value() == "ada"
    context.close()
