"""The reporter side's own addresses. safelight.urls serves them, with those of the apps that add
to the reporter's pages (report together, retaliation check-ins) and Quick exit, under one URL
namespace, "intake"."""

from django.urls import URLPattern, URLResolver, include, path

from safelight.intake import converters  # noqa: F401  (registers <org:...>)
from safelight.intake.views import reporter_followup, reporter_landing, reporter_writing

urlpatterns: list[URLPattern | URLResolver] = [
    path("", reporter_landing.home, name="home"),
    path("help/safety/", reporter_landing.safety, name="safety"),
    # "receipt" is a reserved organisation address (accounts.models.RESERVED_SLUGS).
    path("receipt/", reporter_followup.enter, name="followup-enter"),
    path("receipt/report/", reporter_followup.report, name="followup"),
    path("receipt/report/files/<uuid:attachment_id>/", reporter_followup.download,
         name="followup-file"),
    path("receipt/leave/", reporter_followup.leave, name="followup-leave"),
    path("<org:slug>/", reporter_landing.organisation, name="organisation"),
    # The tech-safety check of a phone's apps (safelight.techcheck): before the directory's
    # addresses under the same /help/.
    path("<org:slug>/help/check/", include("safelight.techcheck.urls")),
    path("<org:slug>/help/", include("safelight.referrals.urls")),
    path("<org:slug>/<slug:channel>/", reporter_writing.channel_start, name="channel"),
    path("<org:slug>/<slug:channel>/step/<int:number>/", reporter_writing.step, name="step"),
    path("<org:slug>/<slug:channel>/review/", reporter_writing.review, name="review"),
    path("<org:slug>/<slug:channel>/discard/", reporter_writing.discard, name="discard"),
]
