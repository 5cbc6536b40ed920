"""record_assessment: seals what was ticked, stores the priority in clear, routes the report."""

import pytest
from django.db import connection

from safelight.accounts.actions import create_handler, create_organisation
from safelight.audit.models import Event
from safelight.crypto import CryptoError, generate_key
from safelight.reports.models import PRIORITY_RANK, Priority, Report
from safelight.triage import actions
from safelight.triage.access import open_assessment
from safelight.triage.actions import install_default_checklist, record_assessment
from safelight.triage.models import RiskAssessment
from tests.conftest import PASSWORD

CANARY = "canary-7f3a9c-tracker-in-the-car-seat"


def rows_as_bytes(table: str) -> bytes:
    """Every column of every row of a table, as the database returns them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    out = bytearray()
    for row in rows:
        for value in row:
            if isinstance(value, memoryview | bytes | bytearray):
                out += bytes(value)
            else:
                out += str(value).encode("utf-8")
            out += b"\x00"
    return bytes(out)


def test_it_sets_the_report_priority_from_the_score(report, report_key, checklist, hana):
    assessment = record_assessment(report=report, report_key=report_key, checklist=checklist,
                                   checked=["location"], handler=hana)
    stored = Report.objects.get(pk=report.pk)
    assert assessment.priority == Priority.ELEVATED
    assert stored.priority == Priority.ELEVATED
    assert stored.priority_rank == PRIORITY_RANK[Priority.ELEVATED]
    assert RiskAssessment.objects.get().priority == Priority.ELEVATED


def test_it_makes_threats_to_kill_urgent(report, report_key, checklist):
    record_assessment(report=report, report_key=report_key, checklist=checklist,
                      checked=["threats"])
    stored = Report.objects.get(pk=report.pk)
    assert (stored.priority, stored.priority_rank) == (Priority.URGENT, 0)


def test_it_follows_the_latest_assessment_even_downwards(report, report_key, checklist, hana):
    record_assessment(report=report, report_key=report_key, checklist=checklist,
                      checked=["location", "escalation"])
    assert Report.objects.get(pk=report.pk).priority == Priority.URGENT
    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[],
                      handler=hana, note="Tracker removed with police help; he moved abroad.")
    assert Report.objects.get(pk=report.pk).priority == Priority.STANDARD


def test_it_records_the_reporter_at_intake_as_no_one(report, report_key, checklist):
    assessment = record_assessment(report=report, report_key=report_key, checklist=checklist,
                                   checked=["passwords"])
    assert assessment.assessed_by is None and assessment.by_reporter
    event = Event.objects.get(action="report.risk.assessed")
    assert event.actor is None
    assert (event.target_type, event.target_id) == ("intake.report", str(report.pk))
    assert event.organisation_id == checklist.organisation_id


def test_it_audits_a_handler_s_assessment_once(report, report_key, checklist, hana):
    record_assessment(report=report, report_key=report_key, checklist=checklist,
                      checked=["passwords"], handler=hana)
    events = Event.objects.filter(action="report.risk.assessed")
    assert [(e.actor_id, e.target_id) for e in events] == [(hana.user_id, str(report.pk))]
    assert Event.objects.filter(target_type="triage.riskassessment").count() == 0


def test_it_keeps_only_keys_of_the_checklist_in_checklist_order(report, report_key, checklist):
    assessment = record_assessment(
        report=report, report_key=report_key, checklist=checklist,
        checked=["children", "nonsense", "passwords", "passwords"],
    )
    assert open_assessment(assessment, report_key)["checked"] == ["passwords", "children"]


def test_it_leaves_no_clear_record_of_what_was_ticked_or_noted(report, report_key, checklist,
                                                              hana):
    record_assessment(report=report, report_key=report_key, checklist=checklist,
                      checked=["tech_expertise", "smart_home"], note=CANARY, handler=hana)
    for table in ("triage_riskassessment", "audit_event"):
        image = rows_as_bytes(table)
        assert image, table
        for needle in (CANARY, "tech_expertise", "smart_home", "Smart-home", "expertise"):
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                assert encoded not in image, (table, needle)


def test_it_refuses_a_key_that_does_not_open_the_report(report, checklist):
    with pytest.raises(CryptoError):
        record_assessment(report=report, report_key=generate_key(), checklist=checklist,
                          checked=["threats"])
    assert not RiskAssessment.objects.exists()
    assert Report.objects.get(pk=report.pk).priority == Priority.STANDARD


def test_it_refuses_another_organisation_s_checklist_or_handler(report, report_key, checklist):
    other = create_organisation(name="Other", slug="other")
    with pytest.raises(ValueError, match="checklist"):
        record_assessment(report=report, report_key=report_key,
                          checklist=install_default_checklist(organisation=other),
                          checked=["threats"])
    stranger = create_handler(organisation=other, username="sam", password=PASSWORD)
    with pytest.raises(ValueError, match="handler"):
        record_assessment(report=report, report_key=report_key, checklist=checklist,
                          checked=["threats"], handler=stranger)
    with pytest.raises(TypeError):
        record_assessment(report=report, report_key=report_key, checklist=checklist,
                          checked="threats")
    assert not RiskAssessment.objects.exists()


def test_it_stores_nothing_when_a_later_step_fails(report, report_key, checklist, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        record_assessment(report=report, report_key=report_key, checklist=checklist,
                          checked=["threats"])
    assert not RiskAssessment.objects.exists()
    assert Report.objects.get(pk=report.pk).priority == Priority.STANDARD
