from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "safelight.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from safelight.audit.maintenance import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="safelight-audit-sqlite")
