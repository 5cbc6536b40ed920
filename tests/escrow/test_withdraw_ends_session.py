"""Withdrawing a held report ends the follow-up session on the server, not only the cookie."""

import pytest
from django.test import Client

from safelight.intake.models import ReporterSession
from tests.escrow.helpers import held_report, offer_together
from tests.intake.conftest import ben, channel, hana, questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_ends_the_follow_up_session_when_the_report_is_withdrawn(
        channel, organisation, key_services):  # noqa: F811
    offer_together(organisation)
    _report, receipt = held_report(channel, [("tiktok", "@someone")])
    client = Client()
    client.post("/receipt/", {"receipt": receipt})
    assert ReporterSession.objects.count() == 1
    page = client.post("/receipt/report/withdraw/", {"confirm": "yes"}).content.decode()
    assert "has been withdrawn" in page
    assert not ReporterSession.objects.exists()
