"""The counsellors' notification of a match: that one is waiting, and nothing else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from safelight import notifications
from safelight.accounts.models import Organisation
from safelight.escrow.models import EscrowMatch, MatchState
from safelight.notification_actions import record_notification

STAFF_ESCROW_PATH = "/staff/escrow/"


def match_mail(organisation: Organisation) -> notifications.Mail:
    """Written again in each counsellor's own language when sent (notifications.composed)."""
    return notifications.composed(lambda: notifications.Mail(
        subject=_("Safelight: a report-together match is waiting"),
        body="\n\n".join([
            _("Two or more people have named the same person in %(organisation)s. Their "
              "held reports are waiting for a counsellor to open the match and release "
              "them.") % {"organisation": organisation.name},
            _("Open the matches: %(link)s")
            % {"link": notifications.staff_link(STAFF_ESCROW_PATH)},
            _("This message says nothing about the reports on purpose: sign in to "
              "Safelight to read it."),
            _("You receive this because you are an escrow counsellor."),
        ]) + "\n",
    ))


def notify_match(match_id: int) -> int:
    match = EscrowMatch.objects.select_related("organisation").filter(pk=match_id).first()
    if match is None or match.state != MatchState.PENDING:
        return 0
    counsellors = notifications.reachable(
        match.organisation.escrow_settings.counsellors.all()
    )
    sent = notifications.send(match_mail(match.organisation), counsellors)
    record_notification(action="notification.escrow_match", organisation=match.organisation,
                        target=match)
    return sent
