from django.urls import path

from safelight.cases.views import case_page, handling, inbox, reply

app_name = "cases"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("<uuid:report_id>/", case_page.report, name="report"),
    path("<uuid:report_id>/files/<uuid:attachment_id>/", case_page.download, name="file"),
    path("<uuid:report_id>/reply/", reply.reply, name="reply"),
    path("<uuid:report_id>/status/", handling.status, name="status"),
    path("<uuid:report_id>/reopen/", handling.reopen, name="reopen"),
    path("<uuid:report_id>/assign/", handling.assign, name="assign"),
    path("<uuid:report_id>/conflict/", handling.conflict, name="conflict"),
    path("<uuid:report_id>/risk/", handling.risk, name="risk"),
    path("<uuid:report_id>/measures/", handling.add_measure, name="measures"),
    path("<uuid:report_id>/measures/<uuid:measure_id>/", handling.update_measure,
         name="measure"),
    path("<uuid:report_id>/close/", handling.close, name="close"),
]
