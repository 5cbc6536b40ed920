"""Every write to the referrals directory: atomic, one audit event per action."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelight.accounts.models import Organisation
from safelight.audit.actions import record
from safelight.referrals import hsds_csv, hsds_json
from safelight.referrals.hsds import (
    Imported,
    ImportResult,
    InvalidFile,
    InvalidItem,
    Skipped,
    service_from_hsds,
)
from safelight.referrals.models import Category, Referral, Service, ServiceCategory

MAX_IMPORT_ITEMS = 10_000

# Model field -> the HSDS field it comes from, to name the culprit when an import item is refused.
HSDS_FIELD_NAMES = {
    "name": "name", "provider": "organization.name", "description": "description",
    "regions": "service_areas", "languages": "languages", "phone": "phones (voice)",
    "text_number": "phones (text)", "email": "email", "website": "url",
    "chat_url": "additional_urls (Chat)", "hours": "schedules", "accessibility": "accessibility",
    "eligibility": "eligibility_description", "cost": "fees_description",
    "last_verified": "assured_date",
}


@transaction.atomic
def save_service(
    *, service: Service, categories: Iterable[str] | None = None, actor=None
) -> Service:
    """Validate and store a new or edited entry; `categories` (codes) replace the old ones."""
    created = service.pk is None
    service.full_clean()
    service.save()
    if categories is not None:
        _set_categories(service, categories)
    record(action="service.create" if created else "service.change", actor=actor,
           organisation=service.organisation, target=service)
    return service


@transaction.atomic
def delete_service(*, service: Service, actor=None) -> None:
    """Referrals already given keep the service's name (Referral.service_name)."""
    record(action="service.delete", actor=actor, organisation=service.organisation,
           target=service)
    service.delete()


@transaction.atomic
def mark_verified(
    *, services: Iterable[Service], actor=None, on: datetime.date | None = None
) -> int:
    """Someone checked these entries with the services today (or `on`). One event each."""
    day = on or timezone.localdate()
    count = 0
    for service in services:
        service.last_verified = day
        service.save(update_fields=["last_verified", "updated_at"])
        record(action="service.verify", actor=actor, organisation=service.organisation,
               target=service)
        count += 1
    return count


@transaction.atomic
def record_referrals(*, message, services: Iterable[Service], actor=None) -> list[Referral]:
    """Note that a handler's reply (`message`) pointed the reporter to these services.

    The services must be the report's organisation's (see access.services_by_ids). The audit
    event names the message; its author is the actor unless another is given."""
    organisation = message.report.channel.organisation
    unique: list[Service] = []
    for service in services:
        if service.organisation_id != organisation.pk:
            raise ValueError("a service of another organisation cannot be referred to")
        if service.pk not in {s.pk for s in unique}:
            unique.append(service)
    if not unique:
        return []
    now = timezone.now()
    referrals = Referral.objects.bulk_create(
        Referral(message=message, service=s, service_name=s.name, given_at=now) for s in unique
    )
    if actor is None and message.author_id is not None:
        actor = message.author.user
    record(action="referral.give", actor=actor, organisation=organisation, target=message)
    return referrals


def import_hsds(
    *, organisation: Organisation, file: IO[bytes], format: str = "auto", actor=None,
    max_items: int = MAX_IMPORT_ITEMS,
) -> ImportResult:
    """Import an HSDS file (JSON, or a zip of CSV tables) into the organisation's directory.

    Entries are matched on their HSDS id: existing ones are updated, new ones created; their
    words are written in the organisation's default language, other languages kept. Each
    item is stored whole or not at all; refused items are listed with the reason. A file that
    cannot be read at all imports nothing. One audit event for the whole import."""
    result = ImportResult()
    seen: set[str] = set()
    try:
        with transaction.atomic():
            for ref, item in _read(file, format):
                if len(result.imported) + len(result.skipped) >= max_items:
                    result.skipped.append(Skipped(ref, _(
                        "more than %(count)d items: this one and the rest were not read"
                    ) % {"count": max_items}))
                    break
                _import_item(organisation, ref, item, result, seen)
            record(action="referrals.import", actor=actor, organisation=organisation,
                   target=organisation)
    except InvalidFile as exc:
        return ImportResult(skipped=[Skipped(_("the file"), str(exc))], file_error=str(exc))
    return result


def _read(file: IO[bytes], format: str) -> Iterator[tuple[str, object]]:
    if format == "auto":
        head = file.read(4)
        file.seek(0)
        format = "csv" if head.startswith(b"PK") else "json"
    if format == "json":
        return hsds_json.read_items(file)
    if format == "csv":
        return hsds_csv.read_items(file)
    raise ValueError(f"unknown import format {format!r}")


def _import_item(
    organisation: Organisation, ref: str, item: object, result: ImportResult, seen: set[str]
) -> None:
    try:
        if isinstance(item, InvalidItem):
            raise item
        data = service_from_hsds(item)
    except InvalidItem as exc:
        result.skipped.append(Skipped(ref, str(exc)))
        return
    if str(data.hsds_id) in seen:
        data.notes.append(_("the same id came earlier in the file; this entry replaces it"))
    try:
        with transaction.atomic():
            service = (
                Service.objects.select_for_update()
                .filter(organisation=organisation, hsds_id=data.hsds_id)
                .first()
            )
            created = service is None
            if service is None:
                service = Service(organisation=organisation, hsds_id=data.hsds_id)
            # HSDS has one text per field: it is the default language's (exports.py).
            service.set_current_language(organisation.default_language)
            data.apply_to(service)
            service.full_clean()
            service.save()
            _set_categories(service, data.categories)
    except ValidationError as exc:
        result.skipped.append(Skipped(ref, _refusal(exc)))
        return
    except (IntegrityError, DataError):
        result.skipped.append(Skipped(ref, _("the database refused the entry")))
        return
    seen.add(str(data.hsds_id))
    result.imported.append(Imported(ref, str(data.hsds_id), service.name, created))
    result.notes.extend(Skipped(ref, note) for note in data.notes)


def _refusal(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, messages in exc.message_dict.items():
        label = HSDS_FIELD_NAMES.get(name)
        text = " ".join(messages)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)


def _set_categories(service: Service, codes: Iterable[str]) -> None:
    wanted = set(codes)
    unknown = wanted - set(Category.values)
    if unknown:
        raise ValueError(f"unknown categories: {sorted(unknown)}")
    service.categories.exclude(code__in=wanted).delete()
    have = set(service.categories.values_list("code", flat=True))
    ServiceCategory.objects.bulk_create(
        ServiceCategory(service=service, code=code) for code in sorted(wanted - have)
    )
