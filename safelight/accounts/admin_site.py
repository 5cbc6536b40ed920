"""The staff administration: only for handlers who signed in with their second factor."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from safelight.accounts.access import redirect_to_sign_in
from safelight.accounts.views import sign_out


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return redirect_to_sign_in(request)

    def logout(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return sign_out(request)
