"""publish: the version that reporters and handlers answer; one per organisation."""

import pytest

from safelight.audit.models import Event
from safelight.triage.access import active_checklist
from safelight.triage.actions import CannotPublish, new_version, publish
from safelight.triage.models import RiskChecklist


def test_it_publishes_a_new_version_in_place_of_the_old(organisation, checklist, administrator):
    copy = new_version(checklist=checklist)
    publish(checklist=copy, actor=administrator.user)
    checklist.refresh_from_db()
    copy.refresh_from_db()
    assert copy.published and not checklist.published
    assert active_checklist(organisation) == copy
    event = Event.objects.get(action="riskchecklist.publish")
    assert (event.actor, event.target_id) == (administrator.user, str(copy.pk))


def test_it_can_go_back_to_an_earlier_version(organisation, checklist):
    copy = new_version(checklist=checklist)
    publish(checklist=copy)
    publish(checklist=checklist)
    assert active_checklist(organisation) == checklist
    assert RiskChecklist.objects.filter(organisation=organisation, published=True).count() == 1


def test_it_refuses_a_checklist_without_items(organisation):
    empty = RiskChecklist.objects.create(organisation=organisation, version=1, name="Empty",
                                         elevated_at=1, urgent_at=2)
    with pytest.raises(CannotPublish, match="no items"):
        publish(checklist=empty)
    empty.refresh_from_db()
    assert not empty.published
    assert not Event.objects.filter(action="riskchecklist.publish").exists()


def test_it_refuses_thresholds_out_of_order(checklist):
    from django.core.exceptions import ValidationError

    copy = new_version(checklist=checklist)
    RiskChecklist.objects.filter(pk=copy.pk).update(elevated_at=9, urgent_at=3)
    copy.refresh_from_db()
    with pytest.raises(ValidationError, match="urgent score"):
        publish(checklist=copy)
