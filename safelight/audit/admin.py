from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from safelight.accounts.admin_scoping import ScopedAdmin
from safelight.audit.models import Event


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ("at", "actor", "organisation", "action", "target_type", "target_id")
    list_filter = ("action", "organisation")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return False
