"""A released report is sealed to no handler whose account reset waits for their confirmation
(issue 20: the reset's new key pair receives no report until then)."""

from __future__ import annotations

import pytest

from safelight.accounts.actions import reset_handler_account
from safelight.accounts.models import AccountReset
from safelight.reports.actions import seal_to_readers
from safelight.reports.models import Recipient, ReportKey
from tests.cases.conftest import opened_with_receipt, submit
from tests.escrow.test_open_match import cora, hold, open_as, person  # noqa: F401
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    questionnaire,
    with_keys,
)

pytestmark = pytest.mark.django_db


def _reset(handler, by) -> AccountReset:
    handler.own_email = "own@example.org"
    handler.save(update_fields=["own_email"])
    return reset_handler_account(handler=handler, kind="second_factor", actor=by.user)


def test_it_releases_to_no_handler_whose_reset_is_pending(channel, hana, ben, cora):  # noqa: F811
    someone = person()
    first, _ = hold(channel, someone)
    second, _ = hold(channel, someone)
    _reset(ben, by=hana)

    opening = open_as(cora)

    assert {r.pk for r in opening.released} == {first.pk, second.pk}
    for report in (first, second):
        assert set(ReportKey.objects.filter(report=report).values_list(
            "handler__user__username", flat=True)) == {"hana"}


def test_it_never_seals_to_a_resetting_reader_even_when_a_caller_names_them(
    channel, hana, ben  # noqa: F811
):
    """The sealing itself refuses, not only the choice of readers: a later caller that builds
    its own list of readers cannot hand a report to a reset account."""
    report, receipt = submit(channel)
    ReportKey.objects.filter(report=report).delete()
    _reset(ben, by=hana)
    opened = opened_with_receipt(receipt)
    reading = list(Recipient.objects.filter(channel=channel).select_related("handler"))
    assert {r.handler_id for r in reading} >= {hana.pk, ben.pk}

    seal_to_readers(report, reading, report_key=opened.report_key,
                    identity_key=opened.identity_key)

    assert set(ReportKey.objects.filter(report=report).values_list(
        "handler_id", flat=True)) == {hana.pk}
