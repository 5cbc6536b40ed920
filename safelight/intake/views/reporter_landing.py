from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safelight.intake.audience import audience
from safelight.referrals.access import services_for_organisation
from safelight.reports import access


def home(request: HttpRequest) -> HttpResponse:
    """One organisation: its landing page. Several (a shared service): let the person choose."""
    organisations = list(access.public_organisations()[:2])
    if len(organisations) == 1:
        return redirect("intake:organisation", slug=organisations[0].slug)
    return render(request, "intake/home.html", {"organisations": access.public_organisations()})


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = access.public_organisation(slug)
    channels = list(access.open_channels(org))
    for channel in channels:
        # The same rules as the review page (safelight.intake.audience), before any answer.
        channel.who = audience(channel, {})  # type: ignore[attr-defined]  # for the template
    return render(request, "intake/organisation.html", {
        "organisation": org, "channels": channels,
        "has_services": services_for_organisation(org).exists(),
    })


def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/safety.html")
