"""Included by safelight.intake.urls under /<organisation>/help/ (the reporter side)."""

from django.urls import path

from safelight.referrals.views import public_directory

app_name = "referrals"
urlpatterns = [
    path("", public_directory.search, name="search"),
]
