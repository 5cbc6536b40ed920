"""Reads: the active checklist, the latest assessment, and opening one with the report key."""

import datetime

import pytest

from safelight.crypto import CryptoError, generate_key
from safelight.triage.access import (
    active_checklist,
    checklist_in_use,
    describe_assessment,
    latest_assessment,
    open_assessment,
)
from safelight.triage.actions import new_version, publish, record_assessment
from safelight.triage.models import RiskChecklist


def test_it_has_no_active_checklist_before_one_is_installed(organisation):
    assert active_checklist(organisation) is None


def test_it_ignores_unpublished_versions(organisation):
    RiskChecklist.objects.create(organisation=organisation, version=1, name="Draft",
                                 elevated_at=1, urgent_at=2)
    assert active_checklist(organisation) is None


def test_it_answers_with_the_latest_published_version(organisation, checklist):
    draft = new_version(checklist=checklist)
    assert active_checklist(organisation) == checklist  # a new version starts unpublished
    publish(checklist=draft)
    assert active_checklist(organisation) == draft
    checklist.refresh_from_db()
    assert not checklist.published


def test_it_keeps_organisations_apart(organisation, checklist):
    from safelight.accounts.actions import create_organisation

    other = create_organisation(name="Other", slug="other")
    assert active_checklist(other) is None


def test_it_finds_no_assessment_for_a_new_report(report):
    assert latest_assessment(report) is None


def test_it_finds_the_latest_assessment(report, report_key, checklist, hana):
    first = record_assessment(report=report, report_key=report_key, checklist=checklist,
                              checked=["threats"])
    second = record_assessment(report=report, report_key=report_key, checklist=checklist,
                               checked=["passwords"], handler=hana)
    assert latest_assessment(report) == second
    # Order is by when, not by insertion.
    first.assessed_at = second.assessed_at + datetime.timedelta(seconds=1)
    first.save()
    assert latest_assessment(report) == first


def test_it_opens_an_assessment_with_the_report_key(report, report_key, checklist, hana):
    assessment = record_assessment(report=report, report_key=report_key, checklist=checklist,
                                   checked=["location", "passwords"], note="Saw an AirTag.",
                                   handler=hana)
    assert open_assessment(assessment, report_key) == {
        "checked": ["passwords", "location"], "note": "Saw an AirTag."
    }


def test_it_refuses_a_wrong_key_and_a_swapped_ciphertext(report, report_key, checklist):
    one = record_assessment(report=report, report_key=report_key, checklist=checklist,
                            checked=["threats"])
    other = record_assessment(report=report, report_key=report_key, checklist=checklist,
                              checked=[])
    with pytest.raises(CryptoError):
        open_assessment(one, generate_key())
    other.checked = one.checked  # sealed for another row: its associated data does not match
    with pytest.raises(CryptoError):
        open_assessment(other, report_key)


def test_it_describes_an_assessment_for_the_case_page(report, report_key, checklist, hana):
    assessment = record_assessment(report=report, report_key=report_key, checklist=checklist,
                                   checked=["children", "threats"], note="Ask about school.",
                                   handler=hana)
    view = describe_assessment(assessment, report_key)
    assert [item.key for item in view.checked] == ["threats", "children"]
    assert view.note == "Ask about school."
    assert (view.result.priority, view.result.score) == ("urgent", 8)
    assert view.result.reasons[0].key == "threats"


def test_it_knows_when_a_checklist_is_in_use(report, report_key, checklist):
    assert not checklist_in_use(checklist)
    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[])
    assert checklist_in_use(checklist)
