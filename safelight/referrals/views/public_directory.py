"""The organisation's directory of services, for anyone, at /<organisation>/help/ (among the
reporter side's addresses); nobody signs in to read it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safelight.referrals import access
from safelight.referrals.forms import SearchForm
from safelight.reports.access import public_organisation

PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def search(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's directory of services, for anyone: no script needed.

    The search is sent with POST, so what the person looked for ("police", "shelter", their
    words) never appears in the address, which the browser's history keeps."""
    organisation = public_organisation(slug)
    form = SearchForm(
        request.POST if request.method == "POST" else None,
        regions=access.regions_of(organisation),
        language_codes=access.languages_of(organisation),
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a choice it does not know is shown as an error; the rest still applies
        filters = form.cleaned_data
    services = access.search_services(
        organisation,
        text=filters.get("q", ""),
        category=filters.get("category", ""),
        region=filters.get("region", ""),
        language=filters.get("language", ""),
    )
    page = Paginator(services, PAGE_SIZE).get_page(request.POST.get("page"))
    return render(
        request,
        "referrals/search.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "filtered": bool(filters and any(filters.values())),
        },
    )
