from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

JOBS_MODULE = "jobs"


class SafelightConfig(AppConfig):
    """The project package as an app: site-wide templates, static files and commands."""

    name = "safelight"
    verbose_name = "Safelight"

    def ready(self) -> None:
        declare_jobs()


def declare_jobs() -> None:
    """Import each Safelight app's `jobs` module, which declares its periodic jobs and tasks.

    The same discovery as Django's admin (autodiscover_modules), kept to Safelight's own apps: a
    third-party app may have a `jobs` module of its own (django-rq does). Every process that sets
    Django up runs this once: the server, the worker, `safelight tick` and the tests.
    """
    for config in apps.get_app_configs():
        if config.name.partition(".")[0] != "safelight":
            continue
        if module_has_submodule(config.module, JOBS_MODULE):
            import_module(f"{config.name}.{JOBS_MODULE}")
