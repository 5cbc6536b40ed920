"""A shared evidence locker, as the handlers of the report it was shared with see it (staff side).

Namespaced "evidence_staff": the survivor's own pages (evidence.urls) are "evidence"."""

from django.urls import path

from safelight.evidence.views import staff_shared_lockers as staff

app_name = "evidence_staff"
urlpatterns = [
    path("<uuid:locker_id>/", staff.home, name="home"),
    path("<uuid:locker_id>/incidents/<uuid:incident_id>/", staff.incident, name="incident"),
    path("<uuid:locker_id>/files/<uuid:file_id>/", staff.download, name="file"),
    path("<uuid:locker_id>/imports/<uuid:import_id>/", staff.import_detail, name="import"),
    path("<uuid:locker_id>/imports/<uuid:import_id>/messages/", staff.messages,
         name="messages"),
    path("<uuid:locker_id>/export/", staff.export, name="export"),
]
