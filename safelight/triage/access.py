"""Reads of checklists and assessments.

Who may see a report is decided before these are called (safelight.cases.access): an assessment
is only ever opened with the report key, which only the report's readers hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from safelight.accounts.models import Organisation
from safelight.reports.models import Report
from safelight.reports.sealing import REPORT, open_json
from safelight.triage.models import RiskAssessment, RiskChecklist, RiskItem
from safelight.triage.scoring import RiskScore, score_checklist

# The field name the ticked keys and note are sealed under (associated data).
SEALED_FIELD = "risk-assessment"


def active_checklist(organisation: Organisation) -> RiskChecklist | None:
    """The checklist reporters and handlers answer now: the latest published version, with its
    words in every language (read in the page's, else the organisation's default language)."""
    return (
        RiskChecklist.objects.filter(organisation=organisation, published=True)
        .select_related("organisation")
        .prefetch_related("translations", "items__translations")
        .order_by("-version")
        .first()
    )


def next_version_number(organisation_id: int) -> int:
    """The version number the organisation's next checklist gets (the caller holds the
    organisation's lock, so two new versions never get the same number)."""
    latest = RiskChecklist.objects.filter(organisation_id=organisation_id).aggregate(
        latest=Max("version")
    )["latest"]
    return (latest or 0) + 1


def checklist_in_use(checklist: RiskChecklist) -> bool:
    """A checklist that an assessment used is never changed again."""
    return RiskAssessment.objects.filter(checklist=checklist).exists()


def latest_assessment(report: Report) -> RiskAssessment | None:
    return (
        RiskAssessment.objects.filter(report=report)
        .select_related("checklist__organisation", "assessed_by__user")
        .order_by("-assessed_at")
        .first()
    )


def open_assessment(assessment: RiskAssessment, report_key: bytes) -> dict[str, Any]:
    """{"checked": [item keys], "note": "..."}; raises safelight.crypto.CryptoError on a wrong
    key or a tampered or swapped ciphertext."""
    value = open_json(
        report_key, bytes(assessment.checked), purpose=REPORT, object_id=assessment.pk,
        field=SEALED_FIELD,
    )
    return {"checked": list(value.get("checked", [])), "note": value.get("note", "")}


@dataclass
class AssessmentView:
    """An assessment as the handler's case page shows it (template triage/assessment.html)."""

    assessment: RiskAssessment
    checked: list[RiskItem]  # in checklist order
    note: str
    result: RiskScore


def describe_assessment(assessment: RiskAssessment, report_key: bytes) -> AssessmentView:
    opened = open_assessment(assessment, report_key)
    checklist = assessment.checklist
    keys = set(opened["checked"])
    items = checklist.items.prefetch_related("translations")
    return AssessmentView(
        assessment=assessment,
        checked=[item for item in items if item.key in keys],
        note=opened["note"],
        result=score_checklist(checklist, opened["checked"]),
    )
