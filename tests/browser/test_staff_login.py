"""A handler signs in on the staff side in a real browser: password, then TOTP, in real forms."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safelight.accounts.actions import create_handler, create_organisation
from safelight.accounts.models import Handler
from tests.conftest import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ada(transactional_db):
    organisation = create_organisation(name="Acme Platform", slug="acme")
    return create_handler(
        organisation=organisation, username="ada", password=PASSWORD, administrator=True
    )


def _fill_sign_in(page, base, password=PASSWORD, code=""):
    page.goto(base + "/staff/sign-in/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_it_sets_up_the_authenticator_at_first_sign_in_then_asks_for_codes(
    browser, live_server, ada
):
    context = browser.new_context()
    page = context.new_page()
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    _fill_sign_in(page, live_server.url)
    # First sign-in: the key pair exists now, and the app must be connected before anything.
    assert page.url == live_server.url + "/staff/authenticator/"
    expect(page.locator(".qr svg")).to_be_visible()
    assert Handler.objects.get(pk=ada.pk).public_key is not None
    device = TOTPDevice.objects.get(user=ada.user)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(live_server.url + "/staff/")
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    # The browser said where each form came from, so CSRF protection could check it.
    assert {post.headers["origin"] for post in posts} == {live_server.url}

    # The administration's own "Log out" goes through Safelight's sign-out, which forgets the key.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/staff/sign-in/")
    assert "safelight_key" not in {cookie["name"] for cookie in context.cookies()}
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    _fill_sign_in(page, live_server.url, code=totp_code(device))
    assert page.url == live_server.url + "/staff/"
    context.close()


def test_it_refuses_a_wrong_password_and_keeps_the_username(browser, live_server, ada):
    context = browser.new_context()
    page = context.new_page()
    _fill_sign_in(page, live_server.url, password="not the password at all")
    assert page.url == live_server.url + "/staff/sign-in/"
    expect(page.get_by_text("That did not work.")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "ada"
    context.close()
