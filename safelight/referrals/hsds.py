"""The mapping between a directory entry and an Open Referral HSDS 3.0 service object.

One mapping serves both serialisations: hsds_json writes and reads these objects as they are,
hsds_csv flattens them into the tables of a tabular data package and rebuilds them on import.
The mapping (docs/referrals.md has the table):

    name, description, url (website), email, status (listed), assured_date (last verified),
    eligibility_description, fees_description (cost)  -> the service's own fields
    organization.name                   -> run by (the service's own name when it is blank)
    phones: type "voice" / "text"       -> phone / text message number
    additional_urls: label "Chat"       -> web chat address (HSDS 3.1; 3.0 readers ignore it)
    schedules[].description             -> opening hours
    service_areas[].name                -> where it helps, one area per place
    languages[].code                    -> languages
    service_at_locations[].location (virtual).accessibility[].description -> accessibility
    attributes[].taxonomy_term (taxonomy "safelight-referral-categories") -> categories

Reading never trusts the input: every value is checked for its type, and anything wrong raises
InvalidItem with a plain reason, so an importer can skip that item and go on.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from safelight.referrals import languages
from safelight.referrals.models import Category, Service

# Fixed namespace for the ids Safelight derives (taxonomy, terms, phones, ...): stable exports.
NAMESPACE = uuid.UUID("6f1d2c0e-5a8b-4f6e-9a51-3c2b7d1e8f40")
TAXONOMY_NAME = "safelight-referral-categories"
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, f"taxonomy:{TAXONOMY_NAME}"))
TAXONOMY_DESCRIPTION = "The kinds of help in a Safelight referrals directory."
LINK_TYPE = "service_category"
CHAT_LABEL = "Chat"

# English names of the categories, as written into exports (stable whatever the UI language).
CATEGORY_NAMES = {
    Category.LEGAL: "Legal advice",
    Category.MEDICAL: "Medical care",
    Category.MENTAL_HEALTH: "Mental health and counselling",
    Category.TECHNOLOGY_SAFETY: "Technology safety",
    Category.POLICE: "Police",
    Category.SHELTER_HOUSING: "Shelter and housing",
    Category.FINANCIAL: "Money and financial help",
}
# Terms of other taxonomies that mean one of ours (compared case-insensitively).
CATEGORY_SYNONYMS = {
    **{name.casefold(): code for code, name in CATEGORY_NAMES.items()},
    **{code.value: code for code in Category},
    "legal": Category.LEGAL, "legal services": Category.LEGAL, "law": Category.LEGAL,
    "medical": Category.MEDICAL, "health": Category.MEDICAL, "health care": Category.MEDICAL,
    "healthcare": Category.MEDICAL, "sexual health": Category.MEDICAL,
    "mental health": Category.MENTAL_HEALTH, "counselling": Category.MENTAL_HEALTH,
    "counseling": Category.MENTAL_HEALTH, "emotional support": Category.MENTAL_HEALTH,
    "technology": Category.TECHNOLOGY_SAFETY, "tech safety": Category.TECHNOLOGY_SAFETY,
    "digital safety": Category.TECHNOLOGY_SAFETY, "online safety": Category.TECHNOLOGY_SAFETY,
    "law enforcement": Category.POLICE, "criminal justice": Category.POLICE,
    "shelter": Category.SHELTER_HOUSING, "housing": Category.SHELTER_HOUSING,
    "refuge": Category.SHELTER_HOUSING, "emergency shelter": Category.SHELTER_HOUSING,
    "financial": Category.FINANCIAL, "money": Category.FINANCIAL,
    "financial assistance": Category.FINANCIAL, "debt advice": Category.FINANCIAL,
    "benefits": Category.FINANCIAL,
}
ACTIVE_STATUSES = {"active": True, "inactive": False, "defunct": False, "temporarily closed": False}
VOICE_TYPES = {"", "voice", "cell", "textphone"}
TEXT_TYPES = {"text", "sms"}
DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidItem(Exception):
    """An item that cannot be imported; the message says why, in plain words."""


class InvalidFile(Exception):
    """A file that cannot be read at all (not JSON, not a zip, too large): nothing is imported."""


@dataclass(frozen=True)
class Imported:
    ref: str
    hsds_id: str
    name: str
    created: bool


@dataclass(frozen=True)
class Skipped:
    ref: str
    reason: str


@dataclass
class ImportResult:
    """What an import did: entries stored, items skipped and why, and details left out."""

    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)
    file_error: str = ""

    @property
    def created(self) -> int:
        return sum(1 for item in self.imported if item.created)

    @property
    def updated(self) -> int:
        return sum(1 for item in self.imported if not item.created)


@dataclass
class ServiceData:
    """What an HSDS service object says about one directory entry."""

    hsds_id: uuid.UUID
    name: str
    provider: str = ""
    description: str = ""
    regions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    phone: str = ""
    text_number: str = ""
    email: str = ""
    website: str = ""
    chat_url: str = ""
    hours: str = ""
    accessibility: str = ""
    eligibility: str = ""
    cost: str = ""
    last_verified: datetime.date | None = None
    active: bool = True
    categories: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def apply_to(self, service: Service) -> None:
        """Words go into the service's current language (an import sets it to the
        organisation's default language)."""
        for name in ("name", "provider", "description", "phone", "text_number", "email",
                     "website", "chat_url", "hours", "accessibility", "eligibility", "cost",
                     "last_verified", "active"):
            setattr(service, name, getattr(self, name))
        service.regions = "\n".join(self.regions)
        service.languages = languages.join_codes(self.languages)


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def term_id(code: str) -> str:
    return derived_id("term", TAXONOMY_NAME, code)


def organization_id(name: str) -> str:
    return derived_id("organization", name.casefold())


def taxonomy_object() -> dict[str, Any]:
    return {"id": TAXONOMY_ID, "name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION}


def taxonomy_term_object(code: str) -> dict[str, Any]:
    return {
        "id": term_id(code),
        "code": code,
        "name": CATEGORY_NAMES[Category(code)],
        "description": CATEGORY_NAMES[Category(code)],
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": TAXONOMY_ID,
        "taxonomy_detail": taxonomy_object(),
        "language": "en",
    }


# Writing ---------------------------------------------------------------------------------------


def service_to_hsds(service: Service) -> dict[str, Any]:
    """The entry as an HSDS 3.0 service object (empty fields left out), its words in the
    service's current language (else the organisation's default language)."""
    sid = str(service.hsds_id)
    organization_name = service.provider or service.name
    item: dict[str, Any] = {
        "id": sid,
        "name": service.name,
        "description": service.text("description"),
        "url": service.website,
        "email": service.email,
        "status": "active" if service.active else "inactive",
        "eligibility_description": service.text("eligibility"),
        "fees_description": service.text("cost"),
        "assured_date": service.last_verified.isoformat() if service.last_verified else "",
        "organization": {
            "id": organization_id(organization_name),
            "name": organization_name,
            "description": "",
        },
    }
    item = {key: value for key, value in item.items() if value != ""}
    phones = []
    for kind, number in (("voice", service.phone), ("text", service.text_number)):
        if number:
            phones.append({"id": derived_id(sid, "phone", kind), "number": number, "type": kind})
    if phones:
        item["phones"] = phones
    if service.chat_url:
        item["additional_urls"] = [
            {"id": derived_id(sid, "url", "chat"), "label": CHAT_LABEL, "url": service.chat_url}
        ]
    hours = service.text("hours")
    if hours:
        item["schedules"] = [{"id": derived_id(sid, "schedule"), "description": hours}]
    if service.region_list():
        item["service_areas"] = [
            {"id": derived_id(sid, "area", n), "name": place}
            for n, place in enumerate(service.region_list())
        ]
    if service.language_codes():
        item["languages"] = [
            {"id": derived_id(sid, "language", code), "name": languages.english_name(code),
             "code": code}
            for code in service.language_codes()
        ]
    accessibility = service.text("accessibility")
    if accessibility:
        location_id = derived_id(sid, "location")
        item["service_at_locations"] = [{
            "id": derived_id(sid, "service_at_location"),
            "location": {
                "id": location_id,
                "location_type": "virtual",
                "name": service.name,
                "accessibility": [
                    {"id": derived_id(sid, "accessibility"), "description": accessibility}
                ],
            },
        }]
    if service.category_codes():
        item["attributes"] = [
            {
                "id": derived_id(sid, "attribute", code),
                "link_id": sid,
                "link_type": LINK_TYPE,
                "link_entity": "service",
                "taxonomy_term_id": term_id(code),
                "taxonomy_term": taxonomy_term_object(code),
            }
            for code in service.category_codes()
        ]
    return item


# Reading ---------------------------------------------------------------------------------------


def service_from_hsds(item: object) -> ServiceData:
    """Read one HSDS service object. Raises InvalidItem; notes say what was left out."""
    if not isinstance(item, dict):
        raise InvalidItem(_("not a service object (expected {…})"))
    notes: list[str] = []
    hsds_id = _read_id(item, notes)
    name = _line(item.get("name"), "name")
    if not name:
        raise InvalidItem(_("no name"))
    data = ServiceData(hsds_id=hsds_id, name=name, notes=notes)
    data.description = _text(item.get("description"), "description")
    data.website = _line(item.get("url"), "url")
    data.email = _line(item.get("email"), "email")
    data.eligibility = _text(item.get("eligibility_description"), "eligibility_description")
    data.cost = _text(item.get("fees_description"), "fees_description")
    data.active = _read_status(item, notes)
    data.last_verified = _read_date(item.get("assured_date"), notes)
    organization = item.get("organization")
    if organization is not None and not isinstance(organization, dict):
        raise InvalidItem(_("%(field)s: expected an object") % {"field": "organization"})
    provider = _line((organization or {}).get("name"), "organization.name")
    data.provider = "" if provider.casefold() == name.casefold() else provider
    _read_phones(item, data)
    data.chat_url = _read_chat(item, notes)
    data.hours = "\n".join(
        text for s in _objects(item, "schedules") if (text := _schedule_text(s))
    )
    data.regions = _read_regions(item)
    data.languages = _read_languages(item, notes)
    data.accessibility = "\n".join(_read_accessibility(item))
    data.categories = _read_categories(item, notes)
    return data


def _read_id(item: dict, notes: list[str]) -> uuid.UUID:
    raw = item.get("id")
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidItem(_("no id (an id is needed to match the entry on a later import)"))
    raw = raw.strip()
    try:
        return uuid.UUID(raw)
    except ValueError:
        derived = uuid.uuid5(NAMESPACE, f"external-id:{raw}")
        notes.append(_("id “%(id)s” is not a UUID; stored as %(uuid)s")
                     % {"id": raw[:60], "uuid": derived})
        return derived


def _read_status(item: dict, notes: list[str]) -> bool:
    status = _line(item.get("status"), "status").lower()
    if not status:
        notes.append(_("no status; listed as active"))
        return True
    if status not in ACTIVE_STATUSES:
        raise InvalidItem(_("status “%(status)s” is not one of: %(allowed)s") % {
            "status": status[:40], "allowed": ", ".join(ACTIVE_STATUSES),
        })
    return ACTIVE_STATUSES[status]


def _read_date(value: object, notes: list[str]) -> datetime.date | None:
    text = _line(value, "assured_date")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        notes.append(_("assured_date “%(value)s” is not a date (YYYY-MM-DD); left empty")
                     % {"value": text[:40]})
        return None


def _read_phones(item: dict, data: ServiceData) -> None:
    phones = list(_objects(item, "phones"))
    for place in _objects(item, "service_at_locations"):
        phones.extend(_objects(place, "phones"))
    for phone in phones:
        number = _line(phone.get("number"), "phones.number").strip("\"' ")
        kind = _line(phone.get("type"), "phones.type").lower()
        if not number:
            continue
        if kind in TEXT_TYPES and not data.text_number:
            data.text_number = number
        elif kind in VOICE_TYPES and not data.phone:
            data.phone = number
        elif number not in (data.phone, data.text_number):
            data.notes.append(
                _("phone %(number)s (%(kind)s) left out: one phone and one text number are kept")
                % {"number": number[:40], "kind": kind or "voice"}
            )


def _read_chat(item: dict, notes: list[str]) -> str:
    chat = ""
    for url in _objects(item, "additional_urls"):
        label = _line(url.get("label"), "additional_urls.label")
        address = _line(url.get("url"), "additional_urls.url")
        if label.casefold() == CHAT_LABEL.casefold() and address and not chat:
            chat = address
        elif address:
            notes.append(_("address %(url)s (%(label)s) left out")
                         % {"url": address[:80], "label": label[:40] or "-"})
    return chat


def _schedule_text(schedule: dict) -> str:
    description = _text(schedule.get("description"), "schedules.description")
    if description:
        return description
    parts = []
    days = _line(schedule.get("byday"), "schedules.byday")
    if days:
        parts.append(", ".join(DAYS.get(d.strip().upper(), d.strip()) for d in days.split(",")))
    opens = _line(schedule.get("opens_at"), "schedules.opens_at")[:5]
    closes = _line(schedule.get("closes_at"), "schedules.closes_at")[:5]
    if opens or closes:
        parts.append(f"{opens}-{closes}")
    notes = _line(schedule.get("notes"), "schedules.notes")
    if notes:
        parts.append(f"({notes})")
    return " ".join(parts)


def _read_regions(item: dict) -> list[str]:
    regions: list[str] = []
    for area in _objects(item, "service_areas"):
        place = _line(area.get("name"), "service_areas.name") or _line(
            area.get("description"), "service_areas.description"
        )
        if place and place.casefold() not in {r.casefold() for r in regions}:
            regions.append(place)
    return regions


def _read_languages(item: dict, notes: list[str]) -> list[str]:
    codes: list[str] = []
    for language in _objects(item, "languages"):
        raw_code = _line(language.get("code"), "languages.code")
        raw_name = _line(language.get("name"), "languages.name")
        code = languages.normalise_code(raw_code)
        if not languages.CODE.match(code):
            code = languages.code_for_name(raw_name) or ""
        if not code:
            notes.append(_("language “%(language)s” is not an ISO 639 code; left out")
                         % {"language": (raw_code or raw_name)[:40]})
        elif code not in codes:
            codes.append(code)
    return codes


def _read_accessibility(item: dict) -> list[str]:
    entries = list(_objects(item, "accessibility"))
    for place in _objects(item, "service_at_locations"):
        location = place.get("location")
        if location is None:
            continue
        if not isinstance(location, dict):
            raise InvalidItem(_("%(field)s: expected an object")
                              % {"field": "service_at_locations.location"})
        entries.extend(_objects(location, "accessibility"))
        entries.extend(_objects(location, "accessibilitys"))  # HSDS 3.0's generated name
    texts = []
    for entry in entries:
        text = _text(entry.get("description"), "accessibility.description")
        details = _text(entry.get("details"), "accessibility.details")
        for part in (text, details):
            if part and part not in texts:
                texts.append(part)
    return texts


def _read_categories(item: dict, notes: list[str]) -> list[str]:
    codes: list[str] = []
    for attribute in _objects(item, "attributes"):
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            notes.append(_("an attribute without its taxonomy term was left out"))
            continue
        code = category_of_term(term)
        if code is None:
            label = _line(term.get("name"), "taxonomy_term.name") or _line(
                term.get("code"), "taxonomy_term.code")
            notes.append(_("category “%(name)s” is not one of Safelight's; left out")
                         % {"name": label[:60]})
        elif code not in codes:
            codes.append(code)
    return [value for value in Category.values if value in codes]


def category_of_term(term: dict) -> str | None:
    code = _line(term.get("code"), "taxonomy_term.code")
    name = _line(term.get("name"), "taxonomy_term.name")
    taxonomy = term.get("taxonomy")
    detail = term.get("taxonomy_detail")
    taxonomy_names = {
        _line(taxonomy, "taxonomy") if not isinstance(taxonomy, dict) else
        _line(taxonomy.get("name"), "taxonomy.name"),
        _line(detail.get("name"), "taxonomy_detail.name") if isinstance(detail, dict) else "",
    }
    ours = TAXONOMY_NAME in taxonomy_names or term.get("taxonomy_id") == TAXONOMY_ID
    if ours and code in Category.values:
        return code
    for candidate in (code, name):
        found = CATEGORY_SYNONYMS.get(candidate.casefold())
        if found:
            return str(found)
    return None


# Checked access to untrusted values -------------------------------------------------------------


def _objects(item: dict, key: str) -> list[dict]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidItem(_("%(field)s: expected a list of objects") % {"field": key})
    return value


def _text(value: object, name: str) -> str:
    """Multi-line text, without control characters."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidItem(_("%(field)s: expected text") % {"field": name})
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _line(value: object, name: str) -> str:
    """One line of text: whitespace runs become single spaces."""
    return " ".join(_text(value, name).split())
