import pytest

from safelight.intake.actions import start_draft, submit_report
from safelight.intake.drafts import OpenDraft
from safelight.intake.followup import open_with_receipt
from safelight.reports.models import Report
from safelight.triage.actions import install_default_checklist
from tests.intake.conftest import ben, channel, hana, olga, other_channel, questionnaire  # noqa: F401


@pytest.fixture
def checklist(organisation):
    """The default checklist, published as version 1."""
    return install_default_checklist(organisation=organisation)


def submit(into, text: str = "He tracks my phone.") -> tuple[Report, bytes]:
    """A report sent through intake's own actions (a draft, then submit, as the reporter's pages
    do), and its report key, opened with the receipt as the reporter would."""
    draft, key = start_draft(channel=into)
    _report, receipt = submit_report(
        draft=OpenDraft(draft=draft, key=key, answers={"what_happened": text})
    )
    opened = open_with_receipt(receipt)
    return opened.report, opened.report_key


@pytest.fixture
def submitted(channel):  # noqa: F811 (the fixture imported above)
    return submit(channel)


@pytest.fixture
def report(submitted):
    return submitted[0]


@pytest.fixture
def report_key(submitted):
    return submitted[1]
