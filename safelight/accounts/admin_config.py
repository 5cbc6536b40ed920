"""Django's admin app, installed with Safelight's staff site as its default site.

Kept apart from admin_site.py: INSTALLED_APPS imports this module before any model can load.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "safelight.accounts.admin_site.StaffAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscovers every app's admin module
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        # The task list would show every organisation's administrators when another
        # organisation had an urgent report; operators use `safelight worker` and the logs.
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)

        # Django's user and group admins and django-otp's device admin would let an
        # administrator set a handler's password or remove their second factor in silence
        # (issue 20): resets are Safelight actions instead (accounts/admin.py). Whatever the
        # order in which the apps' admin modules were imported, they are gone once all are.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (get_user_model(), Group, TOTPDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
