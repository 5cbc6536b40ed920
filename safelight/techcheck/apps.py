from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechcheckConfig(AppConfig):
    name = "safelight.techcheck"
    label = "techcheck"
    verbose_name = _("Tech-safety check")
