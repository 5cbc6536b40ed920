from django.urls import path

from safelight.evidence import (
    export_views,
    import_views,
    incident_views,
    share_views,
    views,
)

app_name = "evidence"
urlpatterns = [
    path("", views.door, name="door"),
    path("new/", views.create, name="create"),
    path("home/", views.home, name="home"),
    path("close/", views.close, name="close"),
    path("delete/", views.delete, name="delete"),
    path("incidents/new/", incident_views.new, name="incident-new"),
    path("incidents/<uuid:incident_id>/", incident_views.detail, name="incident"),
    path("incidents/<uuid:incident_id>/edit/", incident_views.edit, name="incident-edit"),
    path("files/<uuid:file_id>/", incident_views.download, name="file"),
    path("imports/new/", import_views.new, name="import-new"),
    path("imports/<uuid:import_id>/", import_views.detail, name="import"),
    path("imports/<uuid:import_id>/messages/", import_views.messages, name="messages"),
    path("export/", export_views.choose, name="export"),
    path("share/", share_views.share, name="share"),
    path("share/<uuid:report_id>/stop/", share_views.unshare, name="unshare"),
]
