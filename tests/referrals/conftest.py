import datetime
import os

import pytest
from django.utils import timezone

from safelight.accounts.actions import create_organisation
from safelight.referrals.actions import save_service
from safelight.referrals.models import Category, Service


def make_service(organisation, *, categories=(), **fields) -> Service:
    fields.setdefault("name", "Harbour Counselling")
    fields.setdefault("last_verified", timezone.localdate())
    return save_service(service=Service(organisation=organisation, **fields),
                        categories=list(categories))


@pytest.fixture
def counselling(organisation):
    return make_service(
        organisation,
        name="Harbour Counselling",
        provider="Harbour Trust",
        description="Trauma-informed counselling for adults.",
        regions="Westmoor\nNorth Dale",
        languages="en, cy, bsl",
        phone="01632 960 345",
        text_number="07700 900 345",
        email="hello@harbour.example.org",
        website="https://harbour.example.org/",
        chat_url="https://harbour.example.org/chat",
        hours="Monday to Thursday 09:00-19:00\nFriday 09:00-15:00",
        accessibility="Sessions by video with BSL interpreters.",
        eligibility="Adults aged 18 and over.",
        cost="Free",
        categories=[Category.MENTAL_HEALTH],
    )


@pytest.fixture
def law_line(organisation):
    return make_service(
        organisation,
        name="Family Law Advice Line",
        description="Free legal advice on protective orders.",
        regions="Westmoor",
        languages="en, pl",
        phone="0808 157 0101",
        categories=[Category.LEGAL],
    )


@pytest.fixture
def national_helpline(organisation):
    """No region: available anywhere."""
    return make_service(
        organisation,
        name="National Abuse Helpline",
        description="Someone to talk to, day or night.",
        languages="en, ur",
        phone="0808 157 0000",
        categories=[Category.SHELTER_HOUSING, Category.MENTAL_HEALTH],
    )


@pytest.fixture
def unlisted(organisation):
    return make_service(organisation, name="Closed Drop-in Centre", active=False,
                        categories=[Category.MEDICAL])


@pytest.fixture
def other_organisation(db):
    return create_organisation(name="Beta Helpline", slug="beta")


@pytest.fixture
def foreign_service(other_organisation):
    return make_service(other_organisation, name="Beta's Own Law Clinic",
                        categories=[Category.LEGAL])


@pytest.fixture
def message(organisation, handler):
    """A handler's reply on a report (the sealed parts are placeholders: never opened here)."""
    from safelight.intake.setup_actions import create_channel, create_default_questionnaire
    from safelight.reports.models import Message, Report

    questionnaire = create_default_questionnaire(organisation=organisation, name="Default")
    channel = create_channel(
        organisation=organisation, name="Harassment at work", slug="work",
        description="Harassment by colleagues.", who_reads="HR.", questionnaire=questionnaire,
    )
    now = timezone.now()
    report = Report.objects.create(
        channel=channel, submitted_at=now, acknowledge_by=now + datetime.timedelta(days=7),
        feedback_by=now + datetime.timedelta(days=90), lookup_id=os.urandom(32),
        answers=b"sealed", reporter_keys=b"sealed",
    )
    return Message.objects.create(report=report, sent_at=now, author=handler, body=b"sealed")
