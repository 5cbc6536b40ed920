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
