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

from safelight import views
from safelight.escrow import keyservice_views

admin.site.site_header = _("Safelight staff")
admin.site.site_title = _("Safelight staff")
admin.site.index_title = _("Administration")


def build_urlpatterns(interfaces: Collection[str]) -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    if "staff" in interfaces or "reporter" in interfaces:
        patterns.append(path("favicon.ico", views.favicon, name="favicon"))
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
            path("", include("safelight.intake.urls")),
        ]
    return patterns


urlpatterns = build_urlpatterns(settings.SAFELIGHT_INTERFACES)

handler500 = "safelight.views.server_error"
