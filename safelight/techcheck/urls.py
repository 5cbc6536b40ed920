"""Included by safelight.intake.urls under /<organisation>/help/check/ (the reporter side):
`path("<org:slug>/help/check/", include("safelight.techcheck.urls"))`."""

from django.urls import path

from safelight.techcheck.views import reporter_check

app_name = "techcheck"
urlpatterns = [
    path("", reporter_check.start, name="start"),
    path("apps/", reporter_check.check, name="check"),
]
