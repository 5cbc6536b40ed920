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
