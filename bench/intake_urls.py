"""URLs of the bench's server: every shipped URL, and before them the bench-only baseline.

The baseline comes first: the reporter side's ``/<organisation>/<channel>/`` would otherwise
take ``/bench/baseline/``.
"""

from django.urls import path

from bench.intake_baseline import BASELINE_PATH, baseline
from safelight.urls import handler500
from safelight.urls import urlpatterns as shipped

urlpatterns = [path(BASELINE_PATH.strip("/") + "/", baseline, name="bench-baseline"), *shipped]

__all__ = ["handler500", "urlpatterns"]
