"""Administrators' edits (save_checklist, save_item, delete_*): audited, refused once used."""

import pytest

from safelight.audit.models import Event
from safelight.triage.actions import (
    ChecklistInUse,
    delete_checklist,
    delete_item,
    new_version,
    record_assessment,
    save_checklist,
    save_item,
)
from safelight.triage.models import RiskChecklist, RiskItem


def test_it_creates_a_checklist_as_the_next_unpublished_version(organisation, checklist,
                                                                 administrator):
    fresh = save_checklist(
        checklist=RiskChecklist(organisation=organisation, name="Workplace", elevated_at=2,
                                urgent_at=5, published=True),
        actor=administrator.user,
    )
    assert (fresh.version, fresh.published) == (2, False)
    assert Event.objects.filter(action="riskchecklist.create", target_id=str(fresh.pk),
                                actor=administrator.user).exists()


def test_it_edits_an_unused_checklist_and_its_items(checklist, administrator):
    checklist.name = "Our safety checklist"
    save_checklist(checklist=checklist, actor=administrator.user)
    item = checklist.items.get(key="passwords")
    item.weight = 3
    save_item(item=item, actor=administrator.user)
    added = save_item(item=RiskItem(checklist=checklist, position=10, key="pets",
                                    question="Has the person hurt or threatened your pets?",
                                    handler_label="Pets harmed or threatened",
                                    reason="Symbolic threat.", weight=2),
                      actor=administrator.user)
    delete_item(item=added, actor=administrator.user)
    assert RiskChecklist.objects.get(pk=checklist.pk).name == "Our safety checklist"
    assert checklist.items.get(key="passwords").weight == 3
    actions = list(Event.objects.filter(actor=administrator.user).values_list("action", flat=True))
    assert sorted(actions) == ["riskchecklist.change", "riskitem.change", "riskitem.create",
                               "riskitem.delete"]


def test_it_cannot_publish_through_an_edit(checklist):
    copy = new_version(checklist=checklist)
    copy.published = True
    save_checklist(checklist=copy)
    copy.refresh_from_db()
    assert not copy.published


def test_it_refuses_a_duplicate_item_code(checklist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        save_item(item=RiskItem(checklist=checklist, key="passwords", question="Q?",
                                handler_label="L", reason="R", weight=1))


def test_it_refuses_every_change_to_a_used_checklist(checklist, report, report_key):
    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[])
    item = checklist.items.get(key="passwords")
    checklist.name = "Changed"
    item.weight = 9
    before = Event.objects.count()
    with pytest.raises(ChecklistInUse, match="Make a new version"):
        save_checklist(checklist=checklist)
    with pytest.raises(ChecklistInUse):
        save_item(item=item)
    with pytest.raises(ChecklistInUse):
        save_item(item=RiskItem(checklist=checklist, key="new", question="Q?",
                                handler_label="L", reason="R"))
    with pytest.raises(ChecklistInUse):
        delete_item(item=item)
    with pytest.raises(ChecklistInUse):
        delete_checklist(checklist=checklist)
    assert RiskChecklist.objects.get(pk=checklist.pk).name != "Changed"
    assert checklist.items.get(key="passwords").weight == 2
    assert checklist.items.count() == 10
    assert Event.objects.count() == before


def test_it_deletes_an_unused_version(checklist, administrator):
    copy = new_version(checklist=checklist)
    delete_checklist(checklist=copy, actor=administrator.user)
    assert not RiskChecklist.objects.filter(pk=copy.pk).exists()
    assert Event.objects.filter(action="riskchecklist.delete", actor=administrator.user).exists()
