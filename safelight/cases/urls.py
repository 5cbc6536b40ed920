from django.urls import path

from safelight.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:report_id>/", views.report, name="report"),
    path("<uuid:report_id>/reply/", views.reply, name="reply"),
    path("<uuid:report_id>/status/", views.status, name="status"),
    path("<uuid:report_id>/files/<uuid:attachment_id>/", views.download, name="file"),
]
