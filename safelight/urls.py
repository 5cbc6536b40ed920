"""The URL sets this process serves, chosen by SAFELIGHT_INTERFACES (DESIGN.md: two audiences).

A production deployment can run the reporter side on a public host and the staff side on a
private network, each process serving only its own URLs; the other side's addresses give 404.
A key service of the matching escrow (`keyservice`, alone) serves only /keyservice/evaluate.
"""

from collections.abc import Collection

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from safelight import exit_views, language, views
from safelight.cases.views import reporter_checkins
from safelight.escrow import reporter_urls as together_urls
from safelight.escrow.views import keyservice as keyservice_views
from safelight.intake import urls as intake_urls

admin.site.site_header = _("Safelight staff")
admin.site.site_title = _("Safelight staff")
admin.site.index_title = _("Administration")


def reporter_urlpatterns() -> list[URLPattern | URLResolver]:
    """The reporter side, in one URL namespace ("intake"): intake's pages, and the addresses of
    the apps that add to them (intake imports none of those apps)."""
    return [
        # Quick exit ends every reporter-side session of this browser ("exit" is a reserved
        # organisation address, accounts.models.RESERVED_SLUGS).
        path("exit/", exit_views.quick_exit, name="exit"),
        # A retaliation check-in's answer, from the follow-up page (safelight.cases).
        path("receipt/report/check-in/", reporter_checkins.checkin, name="followup-checkin"),
        # Report together: a held report's withdrawal, a step's OPRF evaluation.
        *together_urls.urlpatterns,
        *intake_urls.urlpatterns,
    ]


def build_urlpatterns(interfaces: Collection[str]) -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    if "staff" in interfaces or "reporter" in interfaces:
        patterns.append(path("favicon.ico", views.favicon, name="favicon"))
        # The language chooser of every page posts here, to Django's set_language ("i18n" is a
        # reserved organisation address): a session cookie, never the address (docs/reporting.md).
        patterns.append(path("i18n/setlang/", language.set_language, name="set_language"))
    if "staff" in interfaces:
        patterns += [
            path("staff/admin/", admin.site.urls),
            path("staff/reports/", include("safelight.cases.urls")),
            path("staff/escrow/", include("safelight.escrow.staff_urls")),
            path("staff/evidence/", include("safelight.evidence.staff_urls")),
            path("staff/", include("safelight.accounts.urls")),
        ]
    if "keyservice" in interfaces:
        # A key service of the matching escrow serves this one JSON endpoint and nothing else.
        patterns += [
            path("keyservice/evaluate", keyservice_views.evaluate, name="keyservice-evaluate")
        ]
    if "reporter" in interfaces:
        # Last: the reporter side's /<organisation>/ would otherwise shadow /staff/.
        patterns += [
            path("locker/", include("safelight.evidence.urls")),
            path("", include((reporter_urlpatterns(), "intake"))),
        ]
    return patterns


urlpatterns = build_urlpatterns(settings.SAFELIGHT_INTERFACES)

handler500 = "safelight.views.server_error"
