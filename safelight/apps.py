from django.apps import AppConfig


class SafelightConfig(AppConfig):
    """The project package as an app: site-wide templates, static files and commands."""

    name = "safelight"
    verbose_name = "Safelight"
