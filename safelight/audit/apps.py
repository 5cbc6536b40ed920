from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

# maintenance imports no model (only django.db's connections), so it loads before the apps do.
from safelight.audit.maintenance import register_sqlite_function


class AuditConfig(AppConfig):
    name = "safelight.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        connection_created.connect(register_sqlite_function, dispatch_uid="safelight-audit-sqlite")
