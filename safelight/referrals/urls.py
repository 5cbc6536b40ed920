"""Included by safelight.intake.urls under /<organisation>/help/ (the reporter side)."""

from django.urls import path

from safelight.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.search, name="search"),
]
