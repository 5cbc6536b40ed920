"""Scoped reads of the case core.

The reporter side may read only what an organisation publishes (its channels) and its own report's
files. A handler may read the reports of their own channels that were sealed to them, minus those
where they declared a conflict of interest: holding a sealed copy of the report key is what access
means. For everyone else the report does not exist (404), like a report of another organisation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from safelight.accounts.access import awaiting_reset_confirmation
from safelight.accounts.models import Handler, Organisation
from safelight.reports.models import (
    Attachment,
    Channel,
    Question,
    QuestionKind,
    Questionnaire,
    Recipient,
    Report,
    ReportKey,
    Role,
    Step,
)


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def open_channels(organisation: Organisation) -> QuerySet[Channel]:
    """Channels taking reports: active, and at least one recipient able to read (a key pair)."""
    readable = Recipient.objects.filter(channel=OuterRef("pk"), handler__public_key__isnull=False)
    return (
        Channel.objects.filter(organisation=organisation, active=True)
        .filter(Exists(readable))
        # The questionnaire's organisation too: every step's and question's words fall back
        # to its default language, read without a query a question.
        .select_related("organisation", "questionnaire__organisation")
        .prefetch_related("translations")
        .order_by("position", "pk")
    )


def open_channel(organisation_slug: str, channel_slug: str) -> Channel:
    organisation = public_organisation(organisation_slug)
    return get_object_or_404(open_channels(organisation), slug=channel_slug)


def reporter_attachment(report, attachment_id) -> Attachment:
    return get_object_or_404(Attachment, report=report, pk=attachment_id)


# What a handler may open ----------------------------------------------------------------------


def reports_for_handler(handler: Handler) -> QuerySet[Report]:
    return (
        Report.objects.filter(
            Exists(ReportKey.objects.filter(report=OuterRef("pk"), handler=handler)),
            Exists(Recipient.objects.filter(channel=OuterRef("channel"), handler=handler)),
        )
        # A declared conflict of interest (safelight.cases.models.Conflict, related name
        # "conflicts") takes the report away, whatever key the handler holds.
        .exclude(conflicts__handler=handler)
        .select_related("channel__organisation", "assignee__user")
    )


def report_for_handler(handler: Handler, report_id) -> Report:
    return get_object_or_404(reports_for_handler(handler), pk=report_id)


def key_for_handler(handler: Handler, report: Report) -> ReportKey:
    return get_object_or_404(ReportKey, handler=handler, report=report)


def attachment_for_handler(handler: Handler, report_id, attachment_id) -> Attachment:
    report = report_for_handler(handler, report_id)
    return get_object_or_404(Attachment, report=report, pk=attachment_id)


# Who reads a channel's reports ---------------------------------------------------------------


def channel_recipients(channel: Channel) -> QuerySet[Recipient]:
    return channel.recipient_set.select_related("handler__user").order_by("handler__user__username")


def readers(channel: Channel, answers: dict[str, Any]) -> list[Recipient]:
    """The recipients who will be able to read this report: those with a key pair, minus anyone
    the reporter named as someone who must not see it, and minus external investigators, who get
    a report only when it is assigned to them."""
    excluded: set[str] = set()
    for question in questions_of_kind(channel, QuestionKind.EXCLUDED_RECIPIENTS):
        excluded.update(answers.get(question.key) or [])
    recipients = list(channel_recipients(channel))
    # An administrator reset their account and they have not confirmed it yet (issue 20).
    resetting = awaiting_reset_confirmation(r.handler_id for r in recipients)
    return [
        r
        for r in recipients
        if r.handler.public_key is not None
        and str(r.handler_id) not in excluded
        and r.role != Role.EXTERNAL
        and r.handler_id not in resetting
    ]



def questions_of_kind(channel: Channel, kind: str) -> list[Question]:
    return [
        question
        for step in steps_with_questions(channel.questionnaire)
        for question in step.questions.all()
        if question.kind == kind
    ]


# A questionnaire's words: one row a language (safelight.accounts.content), read with the rows
# they belong to, in a fixed number of queries whatever the number of steps and questions.


def steps_of(questionnaire: Questionnaire) -> QuerySet[Step]:
    return questionnaire.steps.prefetch_related("translations")


def steps_with_questions(questionnaire: Questionnaire) -> QuerySet[Step]:
    return questionnaire.steps.prefetch_related(
        "translations", "questions__translations", "questions__show_if")


def questions_of_step(step: Step) -> list[Question]:
    return list(step.questions.select_related("show_if").prefetch_related("translations"))


