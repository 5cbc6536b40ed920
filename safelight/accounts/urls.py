from django.urls import path

from safelight.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("authenticator/", views.authenticator, name="authenticator"),
    path("password/", views.change_password, name="password"),
    path("email/", views.own_email, name="own-email"),
    path("reset/<str:token>/", views.confirm_reset, name="confirm-reset"),
    path("notifications/", views.notifications, name="notifications"),
]
