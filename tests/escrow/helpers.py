"""Shared set-up for escrow tests: an organisation that offers report together."""

from __future__ import annotations

from django.test import Client

from safelight.accounts.actions import create_handler
from safelight.crypto import escrow, oprf
from safelight.escrow.models import EscrowSettings
from safelight.reports.models import Report
from tests.conftest import PASSWORD
from tests.intake import flow
from tests.intake.conftest import with_keys

TOGETHER_STEP = 3


def offer_together(organisation, *, region: str = "GB"):
    """Turn report together on, with a counsellor (carla) who has a key pair."""
    carla = with_keys(create_handler(organisation=organisation, username="carla",
                                     password=PASSWORD))
    found = EscrowSettings.objects.create(organisation=organisation, enabled=True,
                                          phone_region=region)
    found.counsellors.add(carla)
    return carla


def expected_output(sk: bytes, organisation, canonical: str) -> bytes:
    return oprf.evaluate(sk, escrow.oprf_input(str(organisation.pk), canonical))


def add_identifier(client: Client, channel, kind: str, value: str, **extra):
    return flow.answer(client, channel, TOGETHER_STEP,
                       {"q_together": "yes", "together_kind": kind, "together_value": value,
                        **extra}, go="together_add")


def held_report(channel, identifiers: list[tuple[str, str]], *, client: Client | None = None,
                narrative: str = "He sends threats from many accounts.") -> tuple[Report, str]:
    """A reporter who holds their report until a match, naming the person by `identifiers`
    without JavaScript; returns the report and the receipt."""
    client = client or Client()
    flow.start(client, channel)
    count = channel.questionnaire.steps.count()
    for number in range(1, count + 1):
        if number == TOGETHER_STEP:
            for kind, value in identifiers:
                response = add_identifier(client, channel, kind, value)
                assert response.status_code == 302, response.content.decode()[:2000]
            response = flow.answer(client, channel, number, {"q_together": "yes"})
        elif number == 1:
            response = flow.answer(client, channel, number, {"q_what_happened": narrative})
        else:
            response = flow.answer(client, channel, number, {})
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(flow.review_url(channel))
    assert response.status_code == 200, response.content.decode()[:3000]
    match = flow.RECEIPT.search(response.content.decode())
    assert match, response.content.decode()[:3000]
    return Report.objects.order_by("-submitted_at").first(), match.group(1)
