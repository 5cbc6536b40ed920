"""Settings for ``bench.escrow`` only: Safelight's own, unchanged.

Selected with ``DJANGO_SETTINGS_MODULE=bench.escrow_settings`` by the bench's child processes
(one per database), so that a child refuses to run outside the environment its parent sets
(demo mode in a throw-away data directory, the key services' limits raised by environment
variables); nothing shipped refers to it.
"""

from safelight.settings import *  # noqa: F403 - the product's settings, unchanged
