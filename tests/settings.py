"""Test settings: the test environment, then Safelight's one settings file, unchanged.

pytest-django imports this module before any conftest runs, so this is where the environment is
set. Tests run in demo mode with a throw-away data directory, so a developer's configuration or
demo data is never touched. DATABASE_URL, when set, selects PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile

_data_dir = tempfile.mkdtemp(prefix="safelight-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

os.environ["SAFELIGHT_MODE"] = "demo"
os.environ["SAFELIGHT_DATA_DIR"] = _data_dir
os.environ["SAFELIGHT_QUICK_EXIT_URL"] = "https://neutral.example/"
for name in (
    "SAFELIGHT_DEBUG",
    "SAFELIGHT_INTERFACES",
    "SAFELIGHT_SECRET_KEY",
    "SAFELIGHT_RECEIPT_PEPPER",
    "SAFELIGHT_EVIDENCE_SIGNING_KEY",
    "SAFELIGHT_SEVERITY_SCORER",
    "SAFELIGHT_ALLOWED_HOSTS",
    "SAFELIGHT_HTTPS",
    "SAFELIGHT_TRUSTED_PROXIES",
    # Background tasks stay in the test database (the database backend, as in production's
    # default): nothing runs until a test runs the worker. Email goes to Django's locmem outbox
    # (pytest-django sets it); tests/test_tasks.py exercises Redis with its own settings.
    "SAFELIGHT_TASKS_URL",
    "SAFELIGHT_EMAIL_URL",
    "SAFELIGHT_EMAIL_FROM",
    "SAFELIGHT_STAFF_URL",
    # The matching escrow's key services: tests configure their own (tests/escrow/conftest.py).
    "SAFELIGHT_KEY_SERVICE_1_URL",
    "SAFELIGHT_KEY_SERVICE_1_TOKEN",
    "SAFELIGHT_KEY_SERVICE_2_URL",
    "SAFELIGHT_KEY_SERVICE_2_TOKEN",
    "SAFELIGHT_KEY_SHARE",
    "SAFELIGHT_KEY_SERVICE_TOKEN",
    "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT",
    "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT",
):
    os.environ.pop(name, None)
# Playwright's synchronous API keeps an event loop in the test thread; Django's ORM refuses to
# run beside one unless told that this is deliberate. Tests only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from safelight.settings import *  # noqa: E402, F403
