"""The staff administration: for a platform operator or an organisation's administrators, each
signed in with their second factor. What each of them sees is scoped in admin_scoping.py."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safelight.accounts.access import redirect_to_sign_in, second_factor_verified
from safelight.accounts.admin_scoping import scope_of
from safelight.accounts.views.staff_sign_in import sign_out


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return (
            super().has_permission(request)
            and second_factor_verified(request.user)
            and scope_of(request).allowed
        )

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and second_factor_verified(user)
                and not scope_of(request).allowed):
            # Signed in with both factors, but no administrator: the sign-in page again would
            # say nothing; say that the role has no administration.
            return render(request, "accounts/no_administration.html", status=403)
        return redirect_to_sign_in(request)

    # Django's types say the admin's own pages answer with a TemplateResponse; Safelight's send
    # the browser elsewhere (a redirect), which Django serves the same.
    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return sign_out(request)

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Django's own form would change the password without rewrapping the handler's key.
        return redirect("accounts:password")
