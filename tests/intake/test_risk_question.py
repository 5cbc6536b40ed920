"""The safety checklist in the questionnaire: it sets the first priority of the case."""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from safelight.reports.models import Priority, Report
from safelight.triage.models import RiskAssessment
from tests.intake import flow

pytestmark = pytest.mark.django_db
SAFETY_STEP = 4


def test_it_asks_the_checklist_in_plain_words(client, channel):
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert "Do any of these apply to you?" in page
    assert 'name="q_safety"' in page and 'value="threats"' in page


def test_it_leaves_the_priority_standard_without_answers(channel):
    flow.report(Client(), channel, {})
    report = Report.objects.get()
    assert report.priority == Priority.STANDARD
    assert not RiskAssessment.objects.exists()


def test_it_elevates_on_a_tracker(channel):
    flow.report(Client(), channel, {SAFETY_STEP: {"q_safety": ["location"]}})
    report = Report.objects.get()
    assert report.priority == Priority.ELEVATED
    assessment = RiskAssessment.objects.get()
    assert assessment.assessed_by is None  # the reporter's own answers
    assert b"location" not in bytes(assessment.checked)


def test_an_urgent_report_shows_urgent_help_first_and_alerts_on_call(
    channel, django_capture_on_commit_callbacks
):
    channel.organisation.urgent_help = "Emergency services: 112"
    channel.organisation.save()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        flow.start(client, channel)
        for number in range(1, channel.questionnaire.steps.count() + 1):
            data = {"q_safety": ["threats"]} if number == SAFETY_STEP else {}
            flow.answer(client, channel, number, data)
        response = client.post(flow.review_url(channel))
    page = response.content.decode()
    assert Report.objects.get().priority == Priority.URGENT
    assert "Your safety comes first" in page
    assert page.index("Your safety comes first") < page.index("Your receipt")
    assert "Emergency services: 112" in page
    # After the commit: the content-free alert to on-call handlers, and the new-report notice to
    # the handlers who hold the key (the on-call ones already alerted are not emailed twice).
    assert len(callbacks) == 2
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == ["safelight.notification_tasks.notify_new_report_task",
                      "safelight.notification_tasks.notify_urgent_task"]


def test_the_follow_up_page_keeps_showing_urgent_help(channel):
    receipt = flow.report(Client(), channel, {SAFETY_STEP: {"q_safety": ["threats"]}})
    reporter = Client()
    reporter.post("/receipt/", {"receipt": receipt})
    assert "Your safety comes first" in reporter.get("/receipt/report/").content.decode()


def test_a_condition_on_a_checklist_item_shows_its_follow_up(client, channel):
    flow.start(client, channel)
    page = client.get(flow.step_url(channel, SAFETY_STEP)).content.decode()
    assert "Which technology do you depend on?" in page
    assert "Answer this only if you chose “Do you rely on a device or app" in page
