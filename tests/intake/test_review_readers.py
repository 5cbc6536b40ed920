"""The review page says who can read the report now, who may be given it later and who may see
the name; a person the reporter named is shown as left out, never as a reader (issue 13, 5)."""

import re

import pytest

from safelight.accounts.actions import create_handler
from safelight.intake.questions import display_name
from safelight.reports.models import QuestionKind, Recipient, Role
from tests.conftest import PASSWORD
from tests.intake import flow
from tests.intake.conftest import with_keys
from tests.intake.steps_of import question_of, step_of


def _named(handler, first: str, last: str):
    handler.user.first_name, handler.user.last_name = first, last
    handler.user.save()
    return handler


@pytest.fixture
def eve(organisation, hana, ben):
    # Full names: display names never show usernames.
    _named(hana, "Hana", "Sato")
    _named(ben, "Ben", "Adeyemi")
    handler = with_keys(create_handler(organisation=organisation, username="eve",
                                       password=PASSWORD))
    return _named(handler, "Evelyn", "Okafor")


@pytest.fixture
def with_external(channel, eve):
    """hana (coordinator, sees the name), ben (coordinator, not the name), eve (external
    investigator, may see the name once given the case)."""
    Recipient.objects.create(channel=channel, handler=eve, role=Role.EXTERNAL, sees_identity=True)
    return channel


def _list(page: str, css: str) -> str:
    match = re.search(rf'<ul class="readers {css}">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def _review(client, channel, steps=None) -> str:
    flow.report(client, channel, steps or {}, submit=False)
    return client.get(flow.review_url(channel)).content.decode()


def test_it_lists_the_readers_now_and_who_may_be_given_it_later(client, with_external, hana,
                                                                ben, eve):
    page = _review(client, with_external)
    now = _list(page, "readers-now")
    later = _list(page, "readers-later")
    assert display_name(hana) in now and display_name(ben) in now
    assert display_name(eve) not in now
    assert display_name(eve) in later and "External investigator" in later
    assert "intake coordinators" in page


def test_it_says_who_may_see_the_name_now_and_later(client, with_external, hana, ben, eve):
    contact = question_of(with_external, kind=QuestionKind.SHORT_TEXT)
    identity = next(q for s in with_external.questionnaire.steps.all()
                    for q in s.questions.all() if q.identity)
    number = step_of(with_external, key=identity.key)
    page = _review(client, with_external, {number: {f"q_{identity.key}": "Sam"}})
    assert contact  # the questionnaire has text questions at all
    sentence = re.search(r"Your name and contact details are kept apart: (.*?)</p>", page, re.S)
    assert sentence, page
    text = sentence.group(1)
    assert display_name(hana) in text
    assert f"If it is given to {display_name(eve)}, they can see them too." in text
    assert f"only {display_name(ben)}" not in text and f", {display_name(ben)}" not in text


def test_it_shows_a_named_person_as_left_out_not_as_a_reader(client, with_external, hana, ben,
                                                             eve):
    question = question_of(with_external, kind=QuestionKind.EXCLUDED_RECIPIENTS)
    number = step_of(with_external, kind=QuestionKind.EXCLUDED_RECIPIENTS)
    page = _review(client, with_external,
                   {number: {f"q_{question.key}": [str(ben.pk), str(eve.pk)]}})
    assert display_name(ben) not in _list(page, "readers-now")
    assert "readers-later" not in page  # eve, the only one left to give it to, was named
    excluded = re.search(r'<p class="excluded">(.*?)</p>', page, re.S).group(1)
    assert display_name(ben) in excluded and display_name(eve) in excluded
    assert "cannot open your report, now or later" in excluded


def test_it_says_no_one_can_be_given_it_when_no_coordinator_reads_it(client, channel, hana,
                                                                      ben, eve):
    Recipient.objects.filter(channel=channel).update(role=Role.INVESTIGATOR)
    Recipient.objects.create(channel=channel, handler=eve, role=Role.EXTERNAL)
    page = _review(client, channel)
    assert "readers-later" not in page
    assert "None of them can hand it on" in page


@pytest.mark.django_db
def test_the_landing_page_agrees_with_the_review_page(client, with_external, hana, ben, eve):
    landing = client.get(f"/{with_external.organisation.slug}/").content.decode()
    assert display_name(eve) in landing
    section = landing[landing.index(with_external.name):]
    assert "External investigator" in section
    page = _review(client, with_external)
    for name in (display_name(hana), display_name(ben)):
        assert name in _list(page, "readers-now")
