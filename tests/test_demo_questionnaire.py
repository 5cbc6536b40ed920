"""The demo uses the current default questionnaire, also when its data was seeded before."""

import pytest

from safelight import demo
from safelight.reports.models import Channel, Question, Questionnaire


@pytest.mark.django_db
def test_the_demo_asks_whom_it_happened_to_first():
    demo.seed()
    for channel in Channel.objects.all():
        first = Question.objects.filter(step__questionnaire=channel.questionnaire).first()
        assert first.key == "happened_to"


@pytest.mark.django_db
def test_older_demo_data_gets_the_current_questionnaire_once():
    demo.seed()
    # Demo data from before: its questionnaire does not ask whom it happened to.
    Question.objects.filter(key="happened_to").delete()
    demo.seed()
    keys = {
        tuple(Question.objects.filter(step__questionnaire=c.questionnaire)
              .values_list("key", flat=True)[:1])
        for c in Channel.objects.all()
    }
    assert keys == {("happened_to",)}
    count = Questionnaire.objects.count()
    demo.seed()
    assert Questionnaire.objects.count() == count == 2
