import pytest
from django.test import Client

from safelight.accounts.actions import create_handler
from safelight.cases.opening import OpenedReport
from safelight.intake.followup import open_with_receipt
from safelight.reports.models import Recipient, Report, Role
from safelight.reports.sealing import open_json, unb64
from tests.conftest import PASSWORD
from tests.intake import flow
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
    with_keys,
)

NARRATIVE = {1: {"q_what_happened": "He tracks my phone and posts my address."}}
IDENTIFIED = {**NARRATIVE, 6: {"q_name": "Rosa Reporter", "q_contact": "rosa@example.org"}}


def opened_with_receipt(receipt: str) -> OpenedReport:
    """The report as a handler holding every key would open it (the receipt derives both)."""
    from django.conf import settings

    from safelight.crypto import derive_receipt_keys, normalize_receipt

    opened = open_with_receipt(receipt)
    report = opened.report
    keys = derive_receipt_keys(normalize_receipt(receipt), settings.SAFELIGHT_RECEIPT_PEPPER)
    sealed = open_json(keys.reporter_key, report.reporter_keys, purpose="receipt",
                       object_id=report.pk, field="keys")
    identity = unb64(sealed["identity"]) if sealed.get("identity") else None
    return OpenedReport(report=report, report_key=opened.report_key, identity_key=identity)


def submit(the_channel, steps=None) -> tuple[Report, str]:
    receipt = flow.report(Client(), the_channel, steps if steps is not None else IDENTIFIED)
    return Report.objects.order_by("-submitted_at").first(), receipt


@pytest.fixture
def submitted(channel):  # noqa: F811
    return submit(channel)


@pytest.fixture
def report(submitted):
    return submitted[0]


@pytest.fixture
def opened(submitted):
    return opened_with_receipt(submitted[1])


@pytest.fixture
def eve(organisation, channel):  # noqa: F811
    """An external investigator on the channel: gets a report only when it is assigned to her."""
    eve = with_keys(create_handler(organisation=organisation, username="eve", password=PASSWORD))
    Recipient.objects.create(channel=channel, handler=eve, role=Role.EXTERNAL,
                             sees_identity=False)
    return eve


@pytest.fixture
def ivan(organisation, channel):  # noqa: F811
    """An investigator on the channel (not a coordinator: cannot assign)."""
    ivan = with_keys(create_handler(organisation=organisation, username="ivan", password=PASSWORD))
    Recipient.objects.create(channel=channel, handler=ivan, role=Role.INVESTIGATOR,
                             sees_identity=True)
    return ivan
