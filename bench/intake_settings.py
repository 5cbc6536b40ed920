"""Settings for ``bench.intake`` only: Safelight's own, plus the bench's baseline URL.

Selected with ``DJANGO_SETTINGS_MODULE=bench.intake_settings`` by the bench's server process;
nothing shipped refers to it, so the baseline view is never among the shipped URLs.
"""

from safelight.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLs

ROOT_URLCONF = "bench.intake_urls"
