"""Settings for ``bench.cases`` only: Safelight's own, driven in-process by Django's test client.

Selected with ``DJANGO_SETTINGS_MODULE=bench.cases_settings`` by the bench's child processes
(one per database); nothing shipped refers to it.
"""

from safelight.settings import *  # noqa: F403 - the product's settings, unchanged but for these

# Django's test client sends "Host: testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# The reminder run's digests stay in memory (django.core.mail.outbox), as in the tests.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
