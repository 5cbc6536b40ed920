"""Share the locker with the people handling one's report (their keys), or stop sharing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safelight import ratelimit
from safelight.evidence import access, actions
from safelight.evidence.forms import ShareForm
from safelight.evidence.session import OpenLocker
from safelight.evidence.views import with_locker
from safelight.intake import followup


@with_locker
def share(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        charge = ratelimit.charge_posted_guess(request, "receipt")  # the receipt page's budgets
        if not charge.allowed:
            form.add_error(None, _(
                "There have been too many tries from here. For your safety, please wait an "
                "hour and try again."))
        else:
            report = followup.open_with_receipt(form.cleaned_data["receipt"])
            if report is not None:
                charge.refund()
            if report is None:
                form.add_error("receipt", _(
                    "We could not find a report with that receipt. Check the digits."))
            else:
                count = actions.share_with_report(opened=opened, report=report.report)
                if count == 0:
                    form.add_error(None, _(
                        "No one can read this report yet, so there is no one to share with. "
                        "Try again once the report has been released to its handlers."))
                else:
                    return redirect("evidence:share")
    return render(request, "evidence/share.html", {
        "form": form, "reports": access.reports_shared_by_locker(opened.locker),
        "attempt": ratelimit.ticket_for(request)})


@require_POST
@with_locker
def unshare(request: HttpRequest, opened: OpenLocker, report_id) -> HttpResponse:
    # Only a report this locker is shared through; any other id changes nothing (and is not
    # audited): the survivor's page lists only those.
    report = access.report_shared_by_locker(opened.locker, report_id)
    if report is not None:
        actions.stop_sharing(opened=opened, report=report)
    return redirect("evidence:share")
