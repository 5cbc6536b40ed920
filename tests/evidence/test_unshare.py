"""Stop sharing: the survivor stops sharing their locker through one of the reports it is shared
through; an id of any other report changes nothing and writes no audit event."""

import pytest

from safelight.audit.models import Event
from safelight.evidence import actions
from safelight.evidence.models import LockerShare
from tests.cases.conftest import submit
from tests.evidence.test_staff_views import filled, report, shared, submitted  # noqa: F401
from tests.intake.conftest import (  # noqa: F401
    ben,
    channel,
    hana,
    olga,
    other_channel,
    questionnaire,
)


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stop_url(report_id) -> str:
    return f"/locker/share/{report_id}/stop/"


def test_it_stops_sharing_through_a_report_the_locker_is_shared_through(
    shared, report, locker_client  # noqa: F811
):
    opened, _incident, _row = shared
    assert LockerShare.objects.filter(locker=opened.locker, report=report).count() == 2
    response = locker_client.post(stop_url(report.pk))
    assert response.status_code == 302 and response["Location"] == "/locker/share/"
    assert not LockerShare.objects.filter(locker=opened.locker).exists()
    assert Event.objects.filter(action="evidence.locker_unshared",
                                target_id=str(opened.locker.pk)).count() == 1


def test_it_changes_nothing_for_a_report_the_locker_is_not_shared_through(
    shared, report, channel, locker_client  # noqa: F811
):
    _opened, _incident, _row = shared
    other_report, _receipt = submit(channel)
    other_locker, _passphrase = actions.create_locker()
    assert actions.share_with_report(opened=other_locker, report=other_report) > 0
    shares_before = LockerShare.objects.count()
    response = locker_client.post(stop_url(other_report.pk))
    assert response.status_code == 302 and response["Location"] == "/locker/share/"
    assert LockerShare.objects.count() == shares_before
    assert not Event.objects.filter(action="evidence.locker_unshared").exists()
    # the share page lists only the report this locker is shared through
    page = locker_client.get("/locker/share/")
    assert [r.pk for r in page.context["reports"]] == [report.pk]
