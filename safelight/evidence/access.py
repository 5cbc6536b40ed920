"""Which lockers a handler may read: those a survivor shared with them through a report that they
may still see.

A share is the locker key sealed to the handler's public key (actions.share_with_report), one for
each handler who held the report's key when the survivor shared. Holding a share is not enough on
its own: the report it came through must still be visible to the handler (cases.access), so a
handler who declares a conflict of interest or leaves the channel loses the locker with the
report. For everyone else the locker does not exist (404).

The survivor's own locker is found by what they hold: the lookup id their passphrase derives, or
the id in the sealed cookie the passphrase gave them (safelight.evidence.session). What is in a
locker is read only within that locker: an item of another locker is not there (404).
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from safelight.accounts.models import Handler
from safelight.crypto import PrivateKey, open_sealed
from safelight.evidence.models import EvidenceFile, Incident, Locker, LockerShare, MessageImport
from safelight.evidence.opened import OpenLocker
from safelight.reports.access import reports_for_handler
from safelight.reports.models import Report

# The survivor's own locker ------------------------------------------------------------------


def locker_with_lookup_id(lookup_id: bytes) -> Locker | None:
    """The locker whose passphrase derives this lookup id, or None."""
    return Locker.objects.filter(lookup_id=lookup_id).first()


def locker_with_id(locker_id: uuid.UUID) -> Locker | None:
    """The locker a sealed locker cookie names, or None (deleted since)."""
    return Locker.objects.filter(pk=locker_id).first()


def shared_report_count(locker: Locker) -> int:
    """How many reports this locker is shared through (the survivor's home page)."""
    return locker.shares.values("report_id").distinct().count()


# Lockers shared with a handler -------------------------------------------------------------


def shares_for_handler(handler: Handler) -> QuerySet[LockerShare]:
    """The shares sealed to this handler through reports they may still see."""
    return LockerShare.objects.filter(
        handler=handler, report__in=reports_for_handler(handler).values("pk"))


def shared_locker(handler: Handler, private_key: PrivateKey,
                  locker_id: uuid.UUID | str) -> OpenLocker:
    """The locker, opened with the handler's private key; Http404 unless it was shared with them."""
    share = (shares_for_handler(handler).filter(locker_id=locker_id)
             .select_related("locker").order_by("created_at").first())
    if share is None:
        raise Http404
    return OpenLocker(locker=share.locker, key=open_sealed(private_key, bytes(share.sealed_key)))


def lockers_for_report(handler: Handler, report: Report) -> list[Locker]:
    """The lockers the reporter shared with this handler through this report (one query). The
    caller has already checked that the handler may see the report."""
    return [share.locker for share in LockerShare.objects.filter(handler=handler, report=report)
            .select_related("locker").order_by("created_at")]


def reports_sharing(handler: Handler, locker: Locker) -> list[Report]:
    """The reports through which this locker was shared with the handler (that they may see)."""
    ids = shares_for_handler(handler).filter(locker=locker).values("report_id")
    return list(Report.objects.filter(pk__in=ids).select_related("channel")
                .order_by("submitted_at"))


# What is in a locker (the survivor's open locker, or one shared with a handler) -----------------


def incident_in_locker(locker: Locker, incident_id: uuid.UUID | str) -> Incident:
    """The locker's incident; Http404 when there is none of that id in this locker."""
    incident = Incident.objects.filter(locker=locker, pk=incident_id).first()
    if incident is None:
        raise Http404
    return incident


def file_in_locker(locker: Locker, file_id: uuid.UUID | str) -> EvidenceFile:
    """The locker's evidence file; Http404 when there is none of that id in this locker."""
    row = EvidenceFile.objects.filter(locker=locker, pk=file_id).first()
    if row is None:
        raise Http404
    return row


def import_in_locker(locker: Locker, import_id: uuid.UUID | str) -> MessageImport:
    """The locker's message import; Http404 when there is none of that id in this locker."""
    row = MessageImport.objects.filter(locker=locker, pk=import_id).first()
    if row is None:
        raise Http404
    return row


def reports_shared_by_locker(locker: Locker) -> list[Report]:
    """The reports this locker is shared through (the survivor's share page), oldest first."""
    ids = LockerShare.objects.filter(locker=locker).values_list("report_id", flat=True)
    return list(Report.objects.filter(pk__in=set(ids)).select_related(
        "channel__organisation").order_by("submitted_at"))


def report_shared_by_locker(locker: Locker, report_id: uuid.UUID | str) -> Report | None:
    """The report, only when this locker is shared through it (what the survivor may stop
    sharing); None for any other report, whoever's it is."""
    return Report.objects.filter(
        pk=report_id, pk__in=LockerShare.objects.filter(locker=locker).values("report_id")
    ).first()
