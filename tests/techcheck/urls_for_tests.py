"""The project's URLs with the check included where the lead will include it, under
/<organisation>/help/check/ in the "intake" namespace, for tests run before it is wired."""

from django.urls import URLPattern, URLResolver, include, path

from safelight import urls as project_urls
from safelight.intake import urls as intake_urls

_check: list[URLPattern | URLResolver] = [
    path("<org:slug>/help/check/", include("safelight.techcheck.urls")),
]


def _with_check() -> list[URLPattern | URLResolver]:
    wired = any(getattr(p, "urlconf_name", None) == "safelight.techcheck.urls"
                for p in intake_urls.urlpatterns)
    return [] if wired else _check


_reporter = project_urls.reporter_urlpatterns()
urlpatterns: list[URLPattern | URLResolver] = [
    pattern for pattern in project_urls.urlpatterns
    if getattr(pattern, "namespace", None) != "intake"
] + [path("", include(([*_with_check(), *_reporter], "intake")))]
