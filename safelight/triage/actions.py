"""Every write of risk triage: assessments, the default checklist, and administrators' edits
of checklists.

Atomic, one audit event each. An audit event names the report or checklist, never which items
were ticked: that, and any note, exists only sealed under the report key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.accounts.content import in_every_language
from safelight.accounts.models import Handler, Organisation
from safelight.audit.actions import record
from safelight.reports.models import Report
from safelight.reports.sealing import REPORT, open_json, seal_json
from safelight.triage import default_checklist
from safelight.triage.access import SEALED_FIELD, checklist_in_use, next_version_number
from safelight.triage.models import (
    CHECKLIST_TEXTS,
    ITEM_TEXTS,
    RiskAssessment,
    RiskChecklist,
    RiskChecklistTranslation,
    RiskItem,
    RiskItemTranslation,
)
from safelight.triage.scoring import score


class ChecklistInUse(Exception):
    """The checklist was used for an assessment: make a new version to change it."""

    def __init__(self, checklist: RiskChecklist) -> None:
        super().__init__(
            _("“%(checklist)s” has been used for assessments, so it cannot be changed. Make a "
              "new version to change it.") % {"checklist": checklist}
        )
        self.checklist = checklist


class CannotPublish(Exception):
    """The checklist has no items (or is otherwise not ready to answer)."""


# Assessments ----------------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    *,
    report: Report,
    report_key: bytes,
    checklist: RiskChecklist,
    checked: Iterable[str],
    note: str = "",
    handler: Handler | None = None,
) -> RiskAssessment:
    """Store a completed checklist for the report and set the report's priority from it.

    `handler` None: the reporter answered at intake. Keys that are not items of the checklist are
    dropped. The ticked keys and the note are sealed under the report key; only the priority is
    stored in clear. Raises ValueError for a checklist or handler of another organisation, and
    safelight.crypto.CryptoError if `report_key` is not this report's key.
    """
    if isinstance(checked, str):
        raise TypeError("checked must be a collection of item keys, not one string")
    organisation_id = report.channel.organisation_id
    if checklist.organisation_id != organisation_id:
        raise ValueError("the checklist belongs to another organisation")
    if handler is not None and handler.organisation_id != organisation_id:
        raise ValueError("the handler belongs to another organisation")
    # A wrong key would seal what nobody else can open: prove it opens the report first.
    open_json(report_key, bytes(report.answers), purpose=REPORT, object_id=report.pk,
              field="answers")
    # Lock the checklist, so that an administrator's edit cannot slip in while it is used.
    checklist = RiskChecklist.objects.select_for_update().get(pk=checklist.pk)
    items = list(checklist.items.all())
    wanted = set(checked)
    keys = [item.key for item in items if item.key in wanted]
    result = score(items, keys, elevated_at=checklist.elevated_at, urgent_at=checklist.urgent_at)
    assessment = RiskAssessment(
        report=report,
        checklist=checklist,
        assessed_at=timezone.now(),
        assessed_by=handler,
        priority=result.priority,
    )
    assessment.checked = seal_json(
        report_key, {"checked": keys, "note": note or ""}, purpose=REPORT,
        object_id=assessment.pk, field=SEALED_FIELD,
    )
    assessment.save()
    report.set_priority(result.priority)
    report.save(update_fields=["priority", "priority_rank"])
    record(
        action="report.risk.assessed",
        actor=handler.user if handler is not None else None,
        organisation=report.channel.organisation,
        target=report,
    )
    return assessment


# Checklists: the default and versions ---------------------------------------------------------


def _default_words() -> dict[str, Any]:
    """The default checklist's words in the active language."""
    return {
        "name": default_checklist.name(),
        "introduction": default_checklist.introduction(),
        "items": default_checklist.items(),
    }


@transaction.atomic
def install_default_checklist(
    *, organisation: Organisation, actor: User | None = None
) -> RiskChecklist:
    """Give the organisation the default checklist, published as version 1, in every language
    at once (its words come from the gettext catalogues).

    Idempotent: an organisation that already has a checklist keeps it, and gets back its
    published version (or its latest, if none is published).
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    existing = (
        RiskChecklist.objects.filter(organisation=organisation)
        .order_by("-published", "-version")
        .first()
    )
    if existing is not None:
        return existing
    words = in_every_language(_default_words)
    checklist = RiskChecklist(
        organisation=organisation, version=1, elevated_at=default_checklist.ELEVATED_AT,
        urgent_at=default_checklist.URGENT_AT, published=True,
    )
    checklist.full_clean()
    checklist.save()
    RiskChecklistTranslation.objects.bulk_create(
        RiskChecklistTranslation(master=checklist, language_code=code, name=texts["name"],
                                 introduction=texts["introduction"])
        for code, texts in words.items()
    )
    specs = words[settings.LANGUAGE_CODE]["items"]  # codes, weights: the same in every language
    items = []
    for position, spec in enumerate(specs):
        item = RiskItem(checklist=checklist, position=position, key=spec["key"],
                        weight=spec["weight"], urgent_alone=spec["urgent_alone"])
        item.full_clean()
        items.append(item)
    items = RiskItem.objects.bulk_create(items)
    RiskItemTranslation.objects.bulk_create(
        RiskItemTranslation(
            master=item, language_code=code,
            **{field: texts["items"][position][field] for field in ITEM_TEXTS},
        )
        for position, item in enumerate(items)
        for code, texts in words.items()
    )
    record(action="riskchecklist.create", actor=actor, organisation=organisation,
           target=checklist)
    return RiskChecklist.objects.get(pk=checklist.pk)


@transaction.atomic
def new_version(*, checklist: RiskChecklist, actor=None) -> RiskChecklist:
    """A copy of the checklist and its items, every language of them, as the organisation's
    next version, unpublished, for the administrator to edit and then publish."""
    Organisation.objects.select_for_update().filter(pk=checklist.organisation_id).exists()
    copy = RiskChecklist.objects.create(
        organisation_id=checklist.organisation_id,
        version=next_version_number(checklist.organisation_id),
        elevated_at=checklist.elevated_at,
        urgent_at=checklist.urgent_at,
        published=False,
    )
    RiskChecklistTranslation.objects.bulk_create(
        RiskChecklistTranslation(master=copy, language_code=row.language_code,
                                 **{field: getattr(row, field) for field in CHECKLIST_TEXTS})
        for row in RiskChecklistTranslation.objects.filter(master=checklist)
    )
    originals = list(checklist.items.all())
    copies = RiskItem.objects.bulk_create(
        RiskItem(
            checklist=copy, position=item.position, key=item.key, weight=item.weight,
            urgent_alone=item.urgent_alone,
        )
        for item in originals
    )
    copy_of = {original.pk: made for original, made in zip(originals, copies, strict=True)}
    RiskItemTranslation.objects.bulk_create(
        RiskItemTranslation(master=copy_of[row.master_id], language_code=row.language_code,
                            **{field: getattr(row, field) for field in ITEM_TEXTS})
        for row in RiskItemTranslation.objects.filter(master__checklist=checklist)
    )
    copy = RiskChecklist.objects.get(pk=copy.pk)
    record(action="riskchecklist.new_version", actor=actor, organisation=copy.organisation,
           target=copy)
    return copy


@transaction.atomic
def publish(*, checklist: RiskChecklist, actor=None) -> RiskChecklist:
    """Make this version the one reporters and handlers answer; other versions of the
    organisation stop being published (assessments made with them keep them)."""
    Organisation.objects.select_for_update().filter(pk=checklist.organisation_id).exists()
    if not checklist.items.exists():
        raise CannotPublish(
            _("“%(checklist)s” has no items yet: add at least one before publishing it.")
            % {"checklist": checklist}
        )
    checklist.full_clean()
    RiskChecklist.objects.filter(organisation_id=checklist.organisation_id, published=True).exclude(
        pk=checklist.pk
    ).update(published=False)
    checklist.published = True
    checklist.save(update_fields=["published"])
    record(action="riskchecklist.publish", actor=actor, organisation=checklist.organisation,
           target=checklist)
    return checklist


# Checklists: administrators' edits (the admin calls these) ----------------------------------


def _refuse_if_used(checklist: RiskChecklist) -> None:
    if checklist.pk is not None:
        RiskChecklist.objects.select_for_update().filter(pk=checklist.pk).exists()
        if checklist_in_use(checklist):
            raise ChecklistInUse(checklist)


@transaction.atomic
def save_checklist(*, checklist: RiskChecklist, actor=None) -> RiskChecklist:
    """Create or change a checklist's own fields. A new one gets the organisation's next
    version number and starts unpublished."""
    _refuse_if_used(checklist)
    created = checklist.pk is None
    if created:
        Organisation.objects.select_for_update().filter(pk=checklist.organisation_id).exists()
        checklist.version = next_version_number(checklist.organisation_id)
        checklist.published = False
    else:
        # Publishing goes through publish(), which keeps one published version per organisation.
        stored = RiskChecklist.objects.get(pk=checklist.pk)
        checklist.published = stored.published
        checklist.version = stored.version
        checklist.organisation_id = stored.organisation_id
    checklist.full_clean()
    checklist.save()
    record(action=f"riskchecklist.{'create' if created else 'change'}", actor=actor,
           organisation=checklist.organisation, target=checklist)
    return checklist


@transaction.atomic
def delete_checklist(*, checklist: RiskChecklist, actor=None) -> None:
    _refuse_if_used(checklist)
    record(action="riskchecklist.delete", actor=actor, organisation=checklist.organisation,
           target=checklist)
    checklist.delete()


@transaction.atomic
def save_item(*, item: RiskItem, actor=None) -> RiskItem:
    _refuse_if_used(item.checklist)
    created = item.pk is None
    item.full_clean()
    item.save()
    record(action=f"riskitem.{'create' if created else 'change'}", actor=actor,
           organisation=item.checklist.organisation, target=item)
    return item


@transaction.atomic
def delete_item(*, item: RiskItem, actor=None) -> None:
    _refuse_if_used(item.checklist)
    record(action="riskitem.delete", actor=actor, organisation=item.checklist.organisation,
           target=item)
    item.delete()
