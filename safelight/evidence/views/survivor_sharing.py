"""Share the locker with the people handling one's report (their keys), or stop sharing."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safelight.evidence import access, actions
from safelight.evidence.forms import ShareForm
from safelight.evidence.opened import OpenLocker
from safelight.evidence.responses import with_locker
from safelight.intake import followup
from safelight.secret_door import SecretDoor

# The share door (safelight.secret_door): a report's receipt, under the receipt page's budgets;
# a wrong receipt is told on the receipt field.
SHARE_DOOR: SecretDoor[ShareForm, followup.OpenReport] = SecretDoor(
    scope="receipt", form_class=ShareForm, field="receipt",
    opens=followup.open_with_receipt,
    failure=gettext_lazy("We could not find a report with that receipt. Check the digits."),
    failure_field="receipt",
    too_many_tries=gettext_lazy(
        "There have been too many tries from here. For your safety, please wait an hour and "
        "try again."),
)


@with_locker
def share(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    """Share the locker with the handlers of the report whose receipt is typed, and list the
    reports it is shared through."""
    attempt = SHARE_DOOR.attempt(request)
    if attempt.opened is not None:
        count = actions.share_with_report(opened=opened, report=attempt.opened.report)
        if count == 0:
            attempt.form.add_error(None, _(
                "No one can read this report yet, so there is no one to share with. "
                "Try again once the report has been released to its handlers."))
        else:
            return redirect("evidence:share")
    return render(request, "evidence/share.html", {
        **attempt.context(), "reports": access.reports_shared_by_locker(opened.locker)})


@require_POST
@with_locker
def unshare(request: HttpRequest, opened: OpenLocker, report_id: uuid.UUID) -> HttpResponse:
    """Stop sharing the locker through one of the reports it is shared through."""
    # Only a report this locker is shared through; any other id changes nothing (and is not
    # audited): the survivor's page lists only those.
    report = access.report_shared_by_locker(opened.locker, report_id)
    if report is not None:
        actions.stop_sharing(opened=opened, report=report)
    return redirect("evidence:share")
