"""The escrow counsellor's pages (staff side)."""

from django.urls import path

from safelight.escrow.views import staff_matches

app_name = "escrow"
urlpatterns = [
    path("", staff_matches.matches, name="matches"),
    path("<int:match_id>/", staff_matches.match, name="match"),
]
