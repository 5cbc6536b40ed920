"""Report together's addresses on the reporter side, served by safelight.urls in the reporter
side's URL namespace ("intake"): the browser's OPRF evaluation on a step, and withdrawing a held
report from the follow-up page."""

from django.urls import URLPattern, path

from safelight.escrow.views import reporter_together
from safelight.intake import converters  # noqa: F401  (registers <org:...>)

urlpatterns: list[URLPattern] = [
    # "receipt" is a reserved organisation address (accounts.models.RESERVED_SLUGS).
    path("receipt/report/withdraw/", reporter_together.withdraw, name="followup-withdraw"),
    path("<org:slug>/<slug:channel>/together/evaluate/", reporter_together.evaluate,
         name="together-evaluate"),
]
