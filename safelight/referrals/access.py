"""Reads of the referrals directory. Only listed (active) services, only the organisation's own."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from safelight.accounts.models import Organisation
from safelight.referrals import languages
from safelight.referrals.models import Service


def services_for_organisation(organisation: Organisation) -> QuerySet[Service]:
    """The services a handler can refer to and a reporter can find: listed ones, by name, each
    with its words in every language (read in the active language, else the organisation's
    default language)."""
    return (
        Service.objects.filter(organisation=organisation, active=True)
        .select_related("organisation")
        .prefetch_related("categories", "translations")
        .order_by("name", "pk")
    )


def services_by_ids(organisation: Organisation, ids: Iterable) -> list[Service]:
    """The organisation's listed services with these ids, in the order given. Ids of another
    organisation's services, unlisted ones and anything that is not an id are left out."""
    wanted: list[int] = []
    for value in ids:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            continue
        if pk not in wanted:
            wanted.append(pk)
    found = {s.pk: s for s in services_for_organisation(organisation).filter(pk__in=wanted)}
    return [found[pk] for pk in wanted if pk in found]


def search_services(
    organisation: Organisation, *, text: str = "", category: str = "", region: str = "",
    language: str = "",
) -> QuerySet[Service]:
    """The reporter-side search. Empty arguments do not filter. A region matches services that
    name it and services with no region (national or online); a language is an ISO 639 code.
    Words are looked for in what a service offers in every language it is written in."""
    services = services_for_organisation(organisation)
    translations = Service._parler_meta.root_model.objects
    for word in text.split():
        described = translations.filter(description__icontains=word).values("master_id")
        services = services.filter(
            Q(name__icontains=word) | Q(provider__icontains=word)
            | Q(pk__in=described) | Q(regions__icontains=word)
        )
    if category:
        services = services.filter(categories__code=category)
    if region:
        services = services.filter(Q(regions__icontains=region) | Q(regions=""))
    if language:
        code = languages.normalise_code(language)
        if not languages.CODE.match(code):
            return services.none()
        services = services.filter(languages__regex=rf"(^|[ ,]){re.escape(code)}($|[ ,])")
    return services


def regions_of(organisation: Organisation) -> list[str]:
    """Every place named by the organisation's listed services, for the search form's choices."""
    seen: dict[str, str] = {}
    rows = Service.objects.filter(organisation=organisation, active=True).values_list(
        "regions", flat=True
    )
    for regions in rows:
        for line in regions.splitlines():
            place = line.strip()
            if place:
                seen.setdefault(place.casefold(), place)
    return sorted(seen.values(), key=str.casefold)


def languages_of(organisation: Organisation) -> list[str]:
    """Every language code of the organisation's listed services."""
    codes: set[str] = set()
    rows = Service.objects.filter(organisation=organisation, active=True).values_list(
        "languages", flat=True
    )
    for value in rows:
        codes.update(languages.split_codes(value))
    return sorted(codes)
