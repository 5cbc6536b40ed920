from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "safelight.reports"
    # The label these models had when they lived in safelight.intake: keeping it keeps table
    # names, migrations, content types, permissions, admin addresses and audit events as they were.
    label = "intake"
    verbose_name = _("Reporting")
