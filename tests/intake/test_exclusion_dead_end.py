"""Naming the only readers of a channel is not a dead end: the page says plainly that no one
else reads it and offers ways on (issue 13, item 9)."""

import re

from safelight.reports.models import QuestionKind
from tests.intake import flow
from tests.intake.steps_of import question_of, step_of


def _exclude_everyone(client, channel, *handlers) -> str:
    question = question_of(channel, kind=QuestionKind.EXCLUDED_RECIPIENTS)
    number = step_of(channel, kind=QuestionKind.EXCLUDED_RECIPIENTS)
    flow.report(client, channel, {number: {f"q_{question.key}": [str(h.pk) for h in handlers]}},
                submit=False)
    return client.get(flow.review_url(channel)).content.decode()


def test_it_says_plainly_that_no_one_else_reads_the_channel(client, channel, hana, ben):
    page = _exclude_everyone(client, channel, hana, ben)
    assert "No one else reads this channel." in page
    assert "Nothing has been sent." in page
    assert "They will confirm they have it within" not in page
    assert "Send my report" not in page  # no greyed button that leads nowhere


def test_it_offers_the_other_channels_that_person_does_not_read(client, channel, other_channel,
                                                                 hana, ben):
    page = _exclude_everyone(client, channel, hana, ben)
    ways = re.search(r'<ul class="ways-on">(.*?)</ul>', page, re.S).group(1)
    assert f'href="/acme/{other_channel.slug}/"' in ways
    assert other_channel.name in ways


def test_it_does_not_offer_a_channel_the_named_person_reads(client, channel, other_channel,
                                                             hana, ben):
    from safelight.intake.setup_actions import add_recipient

    add_recipient(channel=other_channel, handler=ben, sees_identity=False)
    page = _exclude_everyone(client, channel, hana, ben)
    ways = re.search(r'<ul class="ways-on">(.*?)</ul>', page, re.S).group(1)
    assert f"/acme/{other_channel.slug}/" not in ways


def test_it_offers_the_help_directory_and_keeping_the_draft(client, channel, hana, ben):
    from safelight.referrals.default_services import install_demo_services

    install_demo_services(channel.organisation)
    page = _exclude_everyone(client, channel, hana, ben)
    ways = re.search(r'<ul class="ways-on">(.*?)</ul>', page, re.S).group(1)
    assert 'href="/acme/help/"' in ways
    assert "Keep this draft" in ways
    number = step_of(channel, kind=QuestionKind.EXCLUDED_RECIPIENTS)
    assert f'href="{flow.step_url(channel, number)}"' in ways
