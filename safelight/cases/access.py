"""Which reports a handler may see: those of their own channels that were sealed to them.

Holding a sealed copy of the report key is what access means: a handler whom the reporter named
as someone who must not see the report never got one, so for them the report does not exist
(404), just like a report of another channel or organisation.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from safelight.accounts.models import Handler
from safelight.intake.models import Attachment, Report, ReportKey


def reports_for_handler(handler: Handler) -> QuerySet[Report]:
    return (
        Report.objects.filter(keys__handler=handler, channel__recipient__handler=handler)
        .select_related("channel__organisation")
        .distinct()
    )


def report_for_handler(handler: Handler, report_id) -> Report:
    return get_object_or_404(reports_for_handler(handler), pk=report_id)


def key_for_handler(handler: Handler, report: Report) -> ReportKey:
    return get_object_or_404(ReportKey, handler=handler, report=report)


def attachment_for_handler(handler: Handler, report_id, attachment_id) -> Attachment:
    report = report_for_handler(handler, report_id)
    return get_object_or_404(Attachment, report=report, pk=attachment_id)
