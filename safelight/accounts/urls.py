from django.urls import path

from safelight.accounts.views import staff_account, staff_sign_in

app_name = "accounts"
urlpatterns = [
    path("", staff_account.home, name="home"),
    path("sign-in/", staff_sign_in.sign_in, name="sign-in"),
    path("sign-out/", staff_sign_in.sign_out, name="sign-out"),
    path("authenticator/", staff_sign_in.authenticator, name="authenticator"),
    path("password/", staff_account.change_password, name="password"),
    path("email/", staff_account.own_email, name="own-email"),
    path("reset/<str:token>/", staff_account.confirm_reset, name="confirm-reset"),
    path("notifications/", staff_account.notifications, name="notifications"),
]
