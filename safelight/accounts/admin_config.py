"""Django's admin app, installed with Safelight's staff site as its default site.

Kept apart from admin_site.py: INSTALLED_APPS imports this module before any model can load.
"""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "safelight.accounts.admin_site.StaffAdminSite"
