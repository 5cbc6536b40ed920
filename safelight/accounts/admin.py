from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from safelight.accounts.actions import save_organisation
from safelight.accounts.models import Handler, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Organisation, form, change: bool) -> None:
        save_organisation(organisation=obj, actor=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False  # reports and audit events hang off an organisation; never cascade them away


@admin.register(Handler)
class HandlerAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "created_at")
    list_filter = ("organisation",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "organisation", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `safelight createhandler` creates handlers, with their password checked


# django-otp's own device admin shows any device's secret and QR code to every administrator, who
# could then pass anyone's second factor. Here an administrator can only see that a handler has an
# authenticator and remove it (a lost phone); the handler then sets up a new one at sign-in.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False
