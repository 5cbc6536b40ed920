"""new_version: a copy of a checklist and its items, as the next version, unpublished."""

from safelight.audit.models import Event
from safelight.triage.actions import new_version, record_assessment
from safelight.triage.models import RiskItem

FIELDS = ("position", "key", "weight", "urgent_alone")
TEXTS = ("question", "handler_label", "reason")  # translated: read in the active language


def texts(checklist) -> list[tuple[str, ...]]:
    return [tuple(getattr(item, name) for name in TEXTS) for item in checklist.items.all()]


def test_it_copies_the_checklist_and_its_items(checklist, administrator):
    copy = new_version(checklist=checklist, actor=administrator.user)
    assert copy.pk != checklist.pk
    assert (copy.version, copy.published) == (2, False)
    assert (copy.name, copy.introduction, copy.elevated_at, copy.urgent_at) == (
        checklist.name, checklist.introduction, checklist.elevated_at, checklist.urgent_at)
    assert list(copy.items.values_list(*FIELDS)) == list(checklist.items.values_list(*FIELDS))
    assert texts(copy) == texts(checklist)
    assert RiskItem.objects.filter(checklist=checklist).count() == 10  # the original is kept
    event = Event.objects.get(action="riskchecklist.new_version")
    assert (event.actor, event.target_id) == (administrator.user, str(copy.pk))


def test_it_numbers_after_the_organisation_s_latest_version(checklist):
    second = new_version(checklist=checklist)
    third = new_version(checklist=checklist)  # copying version 1 again
    assert (second.version, third.version) == (2, 3)


def test_it_leaves_the_copy_editable_while_the_original_is_in_use(checklist, report, report_key):
    from safelight.triage.access import checklist_in_use

    record_assessment(report=report, report_key=report_key, checklist=checklist, checked=[])
    copy = new_version(checklist=checklist)
    assert checklist_in_use(checklist)
    assert not checklist_in_use(copy)
