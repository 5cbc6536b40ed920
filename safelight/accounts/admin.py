from django.contrib import admin
from django.db import models
from django.http import HttpRequest

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
