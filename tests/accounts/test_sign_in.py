"""Signing in: password and TOTP, the key pair at first sign-in, the unlocked key's two halves."""

import base64

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts import actions, keyring
from safelight.accounts.models import Handler
from safelight.audit.models import Event
from safelight.crypto import (
    Argon2Params,
    DecryptionError,
    PublicKey,
    unwrap_private_key,
    wrapped_params,
)
from tests.conftest import PASSWORD, sign_in, totp_code

pytestmark = pytest.mark.django_db


def _unlocked(client, user):
    request = HttpRequest()
    request.session = client.session
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.user = user
    return keyring.unlocked_key(request)


def test_it_creates_the_key_pair_at_first_sign_in_and_asks_for_the_app(client, handler):
    response = client.post(
        "/staff/sign-in/", {"username": "hana", "password": PASSWORD, "code": ""}
    )
    assert response["Location"] == "/staff/authenticator/"
    handler.refresh_from_db()
    private_key = unwrap_private_key(bytes(handler.wrapped_private_key), PASSWORD)
    assert private_key.public_key() == PublicKey.from_bytes(bytes(handler.public_key))
    assert Event.objects.filter(action="handler.keys.create", target_id=str(handler.pk)).exists()
    # Nothing else opens before the second factor is set up.
    assert client.get("/staff/")["Location"] == "/staff/authenticator/"
    assert client.get("/staff/admin/").status_code == 302


def test_it_confirms_the_authenticator_with_a_code(client, handler):
    client.post("/staff/sign-in/", {"username": "hana", "password": PASSWORD, "code": ""})
    page = client.get("/staff/authenticator/").content.decode()
    assert "<svg" in page and "<script" not in page
    device = TOTPDevice.objects.get(user=handler.user, confirmed=False)
    wrong = client.post("/staff/authenticator/", {"code": "000000"})
    assert "That code did not match" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code locks the device for a second (django-otp throttling)
    response = client.post("/staff/authenticator/", {"code": totp_code(device)})
    assert response["Location"] == "/staff/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/staff/").status_code == 200
    assert Event.objects.filter(action="handler.totp.confirm").exists()


def test_it_audits_the_making_of_the_authenticator_once(client, handler):
    client.post("/staff/sign-in/", {"username": "hana", "password": PASSWORD, "code": ""})
    client.get("/staff/authenticator/")
    client.get("/staff/authenticator/")  # the same device again, not a new one
    device = TOTPDevice.objects.get(user=handler.user, confirmed=False)
    made = Event.objects.filter(action="handler.totp.create")
    assert [(e.actor_id, e.target_id) for e in made] == [(handler.user.pk, str(handler.pk))]
    assert TOTPDevice.objects.filter(user=handler.user).count() == 1
    assert device.name == "authenticator"


def test_it_holds_the_unlocked_key_split_between_session_and_cookie(client, handler):
    sign_in(client, handler)
    handler.refresh_from_db()
    private_key = _unlocked(client, handler.user)
    assert private_key.public_key() == PublicKey.from_bytes(bytes(handler.public_key))
    raw = private_key.to_bytes()[1:]
    stored = "".join(str(session.get_decoded()) for session in Session.objects.all())
    for form in (raw.hex(), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        assert form not in stored
    cookie = client.cookies[keyring.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/staff/"


def test_it_signs_out_when_the_key_cookie_is_gone(client, handler):
    sign_in(client, handler)
    del client.cookies[keyring.COOKIE]
    response = client.get("/staff/")
    assert response["Location"].startswith("/staff/sign-in/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password", "code"),
    [("hana", "wrong password!!", "ok"), ("hana", PASSWORD, "000000"), ("nobody", PASSWORD, "ok")],
)
def test_it_refuses_with_one_message_and_keeps_the_username(
    client, handler, username, password, code
):
    device = TOTPDevice.objects.create(user=handler.user, name="app", confirmed=True)
    response = client.post(
        "/staff/sign-in/",
        {
            "username": username,
            "password": password,
            "code": totp_code(device) if code == "ok" else code,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "That did not work. Check your username, password and code" in content
    assert f'value="{username}"' in content
    assert "_auth_user_id" not in client.session
    assert keyring.COOKIE not in client.cookies


def test_it_does_not_let_a_user_without_a_handler_sign_in(client, django_user_model):
    django_user_model.objects.create_user("root", password=PASSWORD, is_superuser=True)
    response = client.post("/staff/sign-in/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_it_follows_a_safe_next_and_ignores_another_host(client, handler):
    from django_otp.plugins.otp_totp.models import TOTPDevice as Device

    device = Device.objects.create(user=handler.user, name="app", confirmed=True)
    data = {"username": "hana", "password": PASSWORD, "code": totp_code(device)}
    response = client.post("/staff/sign-in/?next=https://evil.example/", data)
    assert response["Location"] == "/staff/"
    client.post("/staff/sign-out/")
    device.last_t = -1
    device.save()
    response = client.post("/staff/sign-in/?next=/staff/password/", data)
    assert response["Location"] == "/staff/password/"


def test_it_rewraps_the_key_when_the_password_changes(client, handler):
    sign_in(client, handler)
    before = _unlocked(client, handler.user)
    response = client.post(
        "/staff/password/",
        {
            "old_password": PASSWORD,
            "new_password": "a new long passphrase 2026",
            "new_password_again": "a new long passphrase 2026",
        },
    )
    assert response["Location"] == "/staff/"
    handler.refresh_from_db()
    wrapped = bytes(handler.wrapped_private_key)
    assert unwrap_private_key(wrapped, "a new long passphrase 2026") == before
    with pytest.raises(DecryptionError):
        unwrap_private_key(wrapped, PASSWORD)
    assert client.get("/staff/").status_code == 200  # still signed in
    assert Event.objects.filter(action="handler.password.change").exists()


def test_it_refuses_a_wrong_current_password_or_a_weak_new_one(client, handler):
    sign_in(client, handler)
    wrong = client.post(
        "/staff/password/",
        {
            "old_password": "not it at all",
            "new_password": "a new long passphrase 2026",
            "new_password_again": "a new long passphrase 2026",
        },
    )
    assert "That is not your current password." in wrong.content.decode()
    weak = client.post(
        "/staff/password/",
        {"old_password": PASSWORD, "new_password": "123", "new_password_again": "123"},
    )
    assert "too short" in weak.content.decode()
    handler.user.refresh_from_db()
    assert handler.user.check_password(PASSWORD)


def test_it_replaces_the_key_pair_after_an_administrator_reset_the_password(handler):
    first = actions.sign_in_handler(handler=handler, password=PASSWORD)
    handler.user.set_password("reset by an administrator 1")
    handler.user.save()
    second = actions.sign_in_handler(handler=handler, password="reset by an administrator 1")
    assert second != first
    assert Event.objects.filter(action="handler.keys.replace").exists()


def test_it_raises_a_weak_stored_key_wrap_to_today_s_cost(handler):
    actions.sign_in_handler(handler=handler, password=PASSWORD)
    handler.refresh_from_db()
    from safelight.crypto import wrap_private_key

    private_key = unwrap_private_key(bytes(handler.wrapped_private_key), PASSWORD)
    Handler.objects.filter(pk=handler.pk).update(
        wrapped_private_key=wrap_private_key(
            private_key, PASSWORD, params=Argon2Params(opslimit=1, memlimit=8192)
        )
    )
    assert actions.sign_in_handler(handler=handler, password=PASSWORD) == private_key
    handler.refresh_from_db()
    assert wrapped_params(bytes(handler.wrapped_private_key)) == Argon2Params()


def test_it_signs_out_only_by_post_and_forgets_the_key(client, handler):
    sign_in(client, handler)
    assert client.get("/staff/sign-out/").status_code == 405
    response = client.post("/staff/sign-out/")
    assert response["Location"] == "/staff/sign-in/"
    assert client.cookies[keyring.COOKIE].value == ""
    assert client.get("/staff/")["Location"].startswith("/staff/sign-in/")


def test_it_never_shows_an_authenticator_in_the_administration(staff_client, handler):
    """django-otp's device admin let an administrator remove anyone's second factor in silence;
    it is not reachable at all (a reset is a Safelight action: tests/accounts/test_reset.py)."""
    device = TOTPDevice.objects.create(user=handler.user, name="app", confirmed=True)
    base = "/staff/admin/otp_totp/totpdevice/"
    for url in (base, f"{base}{device.pk}/change/", f"{base}{device.pk}/config/",
                f"{base}{device.pk}/qrcode/"):
        response = staff_client.get(url)
        assert response.status_code == 404, url
        assert device.key not in response.content.decode()
    assert staff_client.post(f"{base}{device.pk}/delete/", {"post": "yes"}).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_it_slows_down_password_guessing(client, handler):
    # One client, many accounts: the client is stopped (and only that client).
    for number in range(10):
        response = client.post("/staff/sign-in/", {
            "username": f"guess{number}", "password": "wrong password guess", "code": "000000"})
        assert "That did not work" in response.content.decode()
    response = client.post("/staff/sign-in/", {
        "username": "hana", "password": PASSWORD, "code": "000000"})
    assert "Too many attempts" in response.content.decode()


def _try(client, username, password, code, address):
    return client.post("/staff/sign-in/", {"username": username, "password": password,
                                           "code": code}, REMOTE_ADDR=address)


def test_it_lets_nobody_lock_a_handler_out_from_elsewhere(client, handler, mailoutbox):
    """Issue 20: 20 failures from anywhere used to lock the account for everyone."""
    device = TOTPDevice.objects.create(user=handler.user, name="app", confirmed=True)
    for number in range(60):  # many addresses, each below its own limit
        response = _try(client, "hana", "wrong password guess", "000000",
                        f"198.51.100.{number // 3}")
        assert "Too many attempts" not in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = _try(client, "hana", PASSWORD, totp_code(device), "203.0.113.7")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_it_backs_off_one_account_from_one_client_only(client, handler):
    device = TOTPDevice.objects.create(user=handler.user, name="app", confirmed=True)
    for _ in range(3):
        assert "That did not work" in _try(client, "hana", "wrong guess!!", "000000",
                                           "198.51.100.1").content.decode()
    _try(client, "hana", "wrong guess!!", "000000", "198.51.100.1")
    response = _try(client, "hana", PASSWORD, totp_code(device), "198.51.100.1")
    assert "Wait" in response.content.decode() and "_auth_user_id" not in client.session
    # The same account from another client, with the right password and code, passes.
    response = _try(client, "hana", PASSWORD, totp_code(device), "198.51.100.2")
    assert response.status_code == 302


def test_it_tells_the_handler_of_many_failed_sign_ins_without_detail(
    client, handler, mailoutbox, django_capture_on_commit_callbacks
):
    handler.own_email = "hana@own.example"
    handler.save()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(12):
            _try(client, "hana", "wrong password guess", "000000", f"198.51.100.{number}")
    assert len(mailoutbox) == 1  # once, at the threshold
    mail = mailoutbox[0]
    assert mail.to == ["hana@own.example"]
    assert "198.51.100" not in mail.body and "wrong password guess" not in mail.body
    assert "not locked" in mail.body
    assert Event.objects.filter(action="handler.sign_in.failures_alert",
                                target_id=str(handler.pk)).exists()


def _parallel(tries: int, attempt) -> list:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=tries) as pool:
        return list(pool.map(attempt, range(tries)))


def test_it_lets_exactly_the_client_limit_of_forty_parallel_wrong_tries_through():
    """Issue 20: the check and the count were apart, so parallel tries slipped between them."""
    from safelight.accounts import throttle

    def attempt(number: int) -> bool:
        admission = throttle.admit("one-client", f"guess{number}")
        if admission.allowed:
            throttle.failed(admission)
        return admission.allowed

    assert sum(_parallel(40, attempt)) == throttle.SIGN_IN_LIMIT_PER_CLIENT
    assert not throttle.admit("one-client", "hana").allowed
    assert throttle.admit("another-client", "hana").allowed


def test_it_lets_one_account_from_one_client_try_only_its_free_tries_and_one_more_at_once():
    """Parallel wrong passwords for one account from one client: the free tries, then one try
    at a time, each after the last one's wait; the rest are told to wait."""
    from safelight.accounts import throttle

    def attempt(_number: int) -> throttle.Admission:
        admission = throttle.admit("one-client", "hana")
        if admission.allowed:
            throttle.failed(admission)
        return admission

    admissions = _parallel(20, attempt)
    assert sum(a.allowed for a in admissions) == throttle.BACKOFF_FREE_FAILURES + 1
    # Refused: told to wait (or, while the refused tries are still being given back, too many).
    assert all(a.wait >= 1 or a.too_many for a in admissions if not a.allowed)
    # The refused tries cost the client nothing: another account from it still has its budget.
    allowed = [throttle.admit("one-client", f"other{n}").allowed for n in range(10)]
    assert allowed.count(True) == throttle.SIGN_IN_LIMIT_PER_CLIENT - (
        throttle.BACKOFF_FREE_FAILURES + 1)


def test_it_lets_exactly_the_limit_of_parallel_wrong_passwords_through_the_page(
    transactional_db, handler
):
    """The same through the sign-in page, from one address, in parallel."""
    from django.test import Client

    from safelight.accounts import throttle

    def attempt(number: int) -> str:
        response = Client().post("/staff/sign-in/", {
            "username": f"guess{number}", "password": "wrong password guess",
            "code": "000000"}, REMOTE_ADDR="198.51.100.9")
        return response.content.decode()

    pages = _parallel(16, attempt)
    assert sum("That did not work" in page for page in pages) == (
        throttle.SIGN_IN_LIMIT_PER_CLIENT)
    assert sum("Too many attempts" in page for page in pages) == 16 - (
        throttle.SIGN_IN_LIMIT_PER_CLIENT)
