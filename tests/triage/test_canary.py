"""Nothing written in an assessment rests in clear: a canary note, ticked with items, leaves no
copy anywhere in the database image (SQLite) or a pg_dump (PostgreSQL)."""

import uuid

import pytest

from safelight.triage.access import open_assessment
from safelight.triage.actions import record_assessment
from tests.intake.test_canary import database_image, encodings
from tests.triage.conftest import submit


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_clear_copy_of_the_note(channel, checklist, hana):
    canary = f"canary-{uuid.uuid4().hex}"
    report, report_key = submit(channel, text="Nothing here.")
    assessment = record_assessment(report=report, report_key=report_key, checklist=checklist,
                                   checked=["threats", "tech_expertise"],
                                   note=f"{canary} hides at her sister's", handler=hana)
    assert open_assessment(assessment, report_key)["note"].startswith(canary)  # it was stored
    image = database_image()
    assert checklist.name.encode("utf-8") in image  # the image holds what is stored in clear
    for name, form in encodings(canary).items():
        assert form not in image, f"the canary rests in clear ({name})"
