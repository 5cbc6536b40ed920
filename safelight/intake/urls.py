from django.urls import path

from safelight.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/safety/", views.safety, name="safety"),
    path("<slug:slug>/", views.organisation, name="organisation"),
]
