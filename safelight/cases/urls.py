from django.urls import path

from safelight.cases.views import staff_case, staff_handling, staff_inbox, staff_reply

app_name = "cases"
urlpatterns = [
    path("", staff_inbox.inbox, name="inbox"),
    path("<uuid:report_id>/", staff_case.report, name="report"),
    path("<uuid:report_id>/files/<uuid:attachment_id>/", staff_case.download, name="file"),
    path("<uuid:report_id>/reply/", staff_reply.reply, name="reply"),
    path("<uuid:report_id>/status/", staff_handling.status, name="status"),
    path("<uuid:report_id>/reopen/", staff_handling.reopen, name="reopen"),
    path("<uuid:report_id>/assign/", staff_handling.assign, name="assign"),
    path("<uuid:report_id>/conflict/", staff_handling.conflict, name="conflict"),
    path("<uuid:report_id>/risk/", staff_handling.risk, name="risk"),
    path("<uuid:report_id>/measures/", staff_handling.add_measure, name="measures"),
    path("<uuid:report_id>/measures/<uuid:measure_id>/", staff_handling.update_measure,
         name="measure"),
    path("<uuid:report_id>/close/", staff_handling.close, name="close"),
]
