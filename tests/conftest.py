import pytest

from safelight import demo
from safelight.accounts.actions import create_handler, create_organisation


@pytest.fixture
def organisation(db):
    return create_organisation(
        name="Acme Platform",
        slug="acme",
        introduction="We read every report within two working days.",
        urgent_help="Emergency services: 112",
    )


@pytest.fixture
def handler(organisation):
    return create_handler(
        organisation=organisation, username="hana", password="correct horse battery staple"
    )


@pytest.fixture
def administrator(organisation):
    return create_handler(
        organisation=organisation,
        username="ada",
        password="correct horse battery staple",
        administrator=True,
    )


@pytest.fixture
def demo_organisation(db):
    return demo.seed()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit counters (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _language_of_the_site_after_each_test():
    """A request in Arabic leaves Arabic active in the thread (LocaleMiddleware activates the
    request's language and nothing deactivates it); the next test on the same worker would then
    meet translated texts it did not ask for."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _unlock_audit_log_for_the_flush_between_transactional_tests():
    """Browser tests run in real transactions and Django empties every table after each one; the
    append-only audit table lets that happen only through its sanctioned unlock."""
    from django.test import TransactionTestCase

    from safelight.audit.maintenance import unlocked

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with unlocked():
            original(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


def pytest_report_header(config):
    from django.db import connection

    settings_dict = connection.settings_dict
    where = settings_dict.get("HOST") or "local file"
    return f"database: {connection.vendor} ({where}), test database created by pytest-django"


PASSWORD = "correct horse battery staple"


def totp_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def sign_in(client, handler, password=PASSWORD):
    """Sign a handler in the real way: password and a TOTP code from a confirmed device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=handler.user, confirmed=True, defaults={"name": "authenticator"}
    )
    device.last_t = -1  # let the same 30-second code be used again within one test
    device.save()
    response = client.post(
        "/staff/sign-in/",
        {"username": handler.user.username, "password": password, "code": totp_code(device)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def staff_client(client, administrator):
    return sign_in(client, administrator)
