"""Reporter-side endpoints of "report together": the browser's OPRF evaluation, withdrawal."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight.crypto import InvalidInput
from safelight.escrow import actions, keyservices
from safelight.escrow.access import available
from safelight.intake import drafts, followup
from safelight.reports import access


@require_POST
def evaluate(request: HttpRequest, slug: str, channel: str) -> JsonResponse:
    """The browser sends a blinded element (nothing the server can read) and gets back both
    key services' evaluation of it, combined. The identifier never leaves the browser."""
    the_channel = access.open_channel(slug, channel)
    draft = drafts.open_draft(request, the_channel)
    if draft is None:
        return JsonResponse({"error": _(
            "Your draft has expired or was sent. Please start again from the channel's page."
        )}, status=409)
    if not available(the_channel.organisation):
        return JsonResponse({"error": _(
            "Report together is not available just now. You can send your report now, or try "
            "again later."
        )}, status=503)
    try:
        blinded = base64.b64decode(request.POST.get("blinded", ""), validate=True)
        evaluated = keyservices.evaluate(blinded, session=keyservices.session_tag(draft.draft.pk))
    except (binascii.Error, ValueError, InvalidInput):
        return JsonResponse({"error": _("Something went wrong adding this. Please try again.")},
                            status=400)
    except keyservices.KeyServiceLimit as refused:
        return JsonResponse({"error": str(refused.message)}, status=429)
    except keyservices.KeyServiceUnavailable as refused:
        return JsonResponse({"error": str(refused.message)}, status=503)
    return JsonResponse({"evaluated": base64.b64encode(evaluated).decode("ascii")})


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    """Take a held report back before any match. Asks once more unless confirmed."""
    opened = followup.opened_report(request)
    if opened is None:
        return redirect("intake:followup-enter")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _(
            "Your report was not withdrawn. Tick the box to confirm that you want to withdraw it."
        ))
        return followup.back_to_report(opened)
    organisation = opened.report.channel.organisation
    try:
        actions.withdraw(report=opened.report)
    except actions.NotHeld:
        messages.error(request, _(
            "Your report has already been matched and released, so it can no longer be "
            "withdrawn. You can write to the people handling it below."
        ))
        return followup.back_to_report(opened)
    response = render(request, "escrow/withdrawn.html", {"organisation": organisation})
    followup.close(response, request=request)
    return response
