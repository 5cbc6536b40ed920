"""The escrow counsellor's pages (staff side)."""

from django.urls import path

from safelight.escrow import staff_views

app_name = "escrow"
urlpatterns = [
    path("", staff_views.matches, name="matches"),
    path("<int:match_id>/", staff_views.match, name="match"),
]
