from django.urls import include, path, register_converter

from safelight import exit_views
from safelight.accounts.models import RESERVED_SLUGS
from safelight.escrow import reporter_views as together_views
from safelight.intake import followup_views, report_views, views


class OrganisationSlug:
    """An organisation's address: a slug that is not one of Safelight's own first segments,
    so /staff/... never resolves to the reporter side, even where the staff side is not served."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrganisationSlug, "org")

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/safety/", views.safety, name="safety"),
    # Quick exit: ends every reporter-side session of this browser ("exit" is a reserved
    # organisation address, accounts.models.RESERVED_SLUGS).
    path("exit/", exit_views.quick_exit, name="exit"),
    # "receipt" is a reserved organisation address (accounts.models.RESERVED_SLUGS).
    path("receipt/", followup_views.enter, name="followup-enter"),
    path("receipt/report/", followup_views.report, name="followup"),
    path("receipt/report/check-in/", followup_views.checkin, name="followup-checkin"),
    path("receipt/report/files/<uuid:attachment_id>/", followup_views.download,
         name="followup-file"),
    path("receipt/report/withdraw/", together_views.withdraw, name="followup-withdraw"),
    path("receipt/leave/", followup_views.leave, name="followup-leave"),
    path("<org:slug>/", views.organisation, name="organisation"),
    path("<org:slug>/help/", include("safelight.referrals.urls")),
    path("<org:slug>/<slug:channel>/", report_views.channel_start, name="channel"),
    path("<org:slug>/<slug:channel>/step/<int:number>/", report_views.step, name="step"),
    path("<org:slug>/<slug:channel>/review/", report_views.review, name="review"),
    path("<org:slug>/<slug:channel>/discard/", report_views.discard, name="discard"),
    path("<org:slug>/<slug:channel>/together/evaluate/", together_views.evaluate,
         name="together-evaluate"),
]
