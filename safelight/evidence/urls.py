"""The survivor's own locker pages (namespace "evidence"); a shared locker's pages for its
handlers are in staff_urls ("evidence_staff")."""

from django.urls import path

from safelight.evidence.views import (
    survivor_export,
    survivor_import,
    survivor_incidents,
    survivor_locker,
    survivor_sharing,
)

app_name = "evidence"
urlpatterns = [
    path("", survivor_locker.door, name="door"),
    path("new/", survivor_locker.create, name="create"),
    path("home/", survivor_locker.home, name="home"),
    path("close/", survivor_locker.close, name="close"),
    path("delete/", survivor_locker.delete, name="delete"),
    path("incidents/new/", survivor_incidents.new, name="incident-new"),
    path("incidents/<uuid:incident_id>/", survivor_incidents.detail, name="incident"),
    path("incidents/<uuid:incident_id>/edit/", survivor_incidents.edit, name="incident-edit"),
    path("files/<uuid:file_id>/", survivor_incidents.download, name="file"),
    path("imports/new/", survivor_import.new, name="import-new"),
    path("imports/<uuid:import_id>/", survivor_import.detail, name="import"),
    path("imports/<uuid:import_id>/messages/", survivor_import.messages, name="messages"),
    path("export/", survivor_export.choose, name="export"),
    path("share/", survivor_sharing.share, name="share"),
    path("share/<uuid:report_id>/stop/", survivor_sharing.unshare, name="unshare"),
]
