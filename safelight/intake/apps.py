from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The reporter side: writing a report, the receipt, follow-up. Its own rows (drafts,
    reporter sessions) are in this label; the case itself is in safelight.reports."""

    name = "safelight.intake"
    label = "reporter"
    verbose_name = _("Reporter side")
