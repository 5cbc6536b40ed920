from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscrowConfig(AppConfig):
    name = "safelight.escrow"
    label = "escrow"
    verbose_name = _("Report together (matching escrow)")
