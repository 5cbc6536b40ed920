"""Pre-ticking the reporter's checklist from the first step: the priority follows what the
checklist shows when the reporter moves on, never the first step's broader words on their own."""

import re

import pytest
from django.test import Client

from safelight.reports.models import Priority, Report
from safelight.triage.models import RiskAssessment
from tests.intake import flow

pytestmark = pytest.mark.django_db
SAFETY_STEP = 4


def _ticked_as_shown(page: str, name: str) -> list[str]:
    """What a browser would post for the checkboxes `name` as the page shows them."""
    values = []
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and " checked" in tag:
            values.append(re.search(r'value="([^"]*)"', tag).group(1))
    return values


def _report(channel, first_step: dict, *, name: str = "q_safety", untick: bool = False) -> Report:
    """Answer the first step, then every other step as shown (the safety page posted with the
    boxes the page had ticked, or with none if the reporter unticked them), and send."""
    client = Client()
    flow.start(client, channel)
    count = channel.questionnaire.steps.count()
    for number in range(1, count + 1):
        data = first_step if number == 1 else {}
        if number == SAFETY_STEP:
            page = client.get(flow.step_url(channel, number)).content.decode()
            data = {name: [] if untick else _ticked_as_shown(page, name)}
        response = flow.answer(client, channel, number, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(flow.review_url(channel))
    assert response.status_code == 200
    return Report.objects.get()


def test_a_pre_ticked_tracker_left_ticked_elevates(channel):
    report = _report(channel, {"q_abuse_kinds": ["location"]})
    assert report.priority == Priority.ELEVATED
    assert RiskAssessment.objects.get().assessed_by is None


def test_a_pre_tick_the_reporter_took_away_is_not_scored(channel):
    report = _report(channel, {"q_abuse_kinds": ["threats", "location"]}, untick=True)
    assert report.priority == Priority.STANDARD
    assert not RiskAssessment.objects.exists()


def test_the_first_step_alone_never_sets_the_priority(channel):
    client = Client()
    flow.report(client, channel, {1: {"q_abuse_kinds": ["threats", "location", "images"]}})
    assert Report.objects.get().priority == Priority.STANDARD


def test_a_witness_checklist_is_pre_ticked_and_scored_the_same(channel):
    report = _report(channel, {"q_happened_to": "someone_else", "q_abuse_kinds": ["threats"]},
                     name="q_safety_them")
    assert report.priority == Priority.URGENT
