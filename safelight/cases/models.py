"""What handling a case adds to a report: conflicts, support measures, outcome, check-ins,
reply templates and the reminders sent.

In clear: categories, dates and who did what (routing and counting). Sealed under the report key:
anything a handler or reporter writes about the case (notes, reasons, check-in answers).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from safelight.accounts.models import Handler, Organisation
from safelight.reports.models import Message, Report


class Conflict(models.Model):
    """A handler declared a conflict of interest ("I know a person involved").

    From then on the report does not exist for them (404) and no key is sealed to them again.
    Handlers the reporter named are kept out without any row in clear: they never got a key, and
    the list of names stays inside the sealed answers.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conflicts")
    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="conflicts")
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "handler"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handler} / {self.report}"


class MeasureKind(models.TextChoices):
    CHANGE_OF_TEAM = "change_of_team", _("Change of team, shift or place of work")
    FLEXIBLE_WORK = "flexible_work", _("Flexible or remote work")
    PAID_LEAVE = "paid_leave", _("Paid leave")
    ACCOUNT_LOCKDOWN = "account_lockdown", _("Help locking down accounts and devices")
    NEW_DEVICE = "new_device", _("A new work phone, number or account")
    NO_CONTACT = "no_contact", _("No-contact instruction to the other person")
    CONTENT_REMOVAL = "content_removal", _("Removal of content")
    SAFETY_PLANNING = "safety_planning", _("Safety planning with a specialist")
    COUNSELLING = "counselling", _("Counselling or employee assistance")
    OTHER = "other", _("Something else (see the note)")


class MeasureState(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class SupportMeasure(models.Model):
    """An interim measure offered to the reporter while the case runs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=30, choices=MeasureKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=MeasureState.choices)
    offered_at = models.DateTimeField(_("offered"))
    updated_at = models.DateTimeField(_("updated"))
    recorded_by = models.ForeignKey(Handler, null=True, on_delete=models.SET_NULL)
    note = models.BinaryField(null=True)  # sealed under the report key

    class Meta:
        ordering = ["offered_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class OutcomeCategory(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")
    REFERRED = "referred", _("Referred elsewhere")


class ActionTaken(models.TextChoices):
    NONE = "none", _("No action")
    WARNING = "warning", _("Warning")
    TRAINING = "training", _("Training")
    MEDIATION = "mediation", _("Mediation, with the reporter's agreement")
    SUSPENSION = "suspension", _("Suspension")
    DISMISSAL = "dismissal", _("Dismissal or end of contract")
    CONTENT_REMOVED = "content_removed", _("Content removed")
    ACCOUNT_RESTRICTED = "account_restricted", _("Account restricted")
    ACCOUNT_SUSPENDED = "account_suspended", _("Account suspended")
    REPORTED_TO_POLICE = "reported_to_police", _("Reported to the police")
    POLICY_CHANGE = "policy_change", _("Change of policy or practice")


class Outcome(models.Model):
    """How a case ended: categories in clear for aggregate figures; the reasons sealed."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="outcome")
    category = models.CharField(_("outcome"), max_length=20, choices=OutcomeCategory.choices)
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(Handler, null=True, on_delete=models.SET_NULL)
    reason = models.BinaryField(null=True)  # sealed under the report key
    # The message that told the reporter (sent with the closing, in the conversation), or, when
    # the handler chose not to write, why not (sealed under the report key).
    closing_message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    no_message_reason = models.BinaryField(null=True)

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def action_codes(self) -> list[str]:
        return [a.code for a in self.actions.all()]


class OutcomeAction(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("action taken"), max_length=30, choices=ActionTaken.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="outcome_action_unique")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class CheckIn(models.Model):
    """A question to the reporter after closing: has anyone treated you worse since you reported?

    It shows on the follow-up page from `due_at` on. The answer is sealed; a yes reopens the case.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="checkins")
    due_at = models.DateTimeField(db_index=True)
    opened_at = models.DateTimeField(null=True)  # when the periodic run made it visible
    answered_at = models.DateTimeField(null=True)
    answer = models.BinaryField(null=True)  # sealed under the report key

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.report} @ {self.due_at:%Y-%m-%d}"


class TemplateKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    MORE_INFORMATION = "more_information", _("Request for more information")
    REFERRAL = "referral", _("Referral")
    INTERIM_MEASURES = "interim_measures", _("Interim measures")
    OUTCOME = "outcome", _("Outcome")
    CHECK_IN = "check_in", _("Check-in")


class ReplyTemplate(models.Model):
    """Words for a reply, written and reviewed by people who know the field.

    Each change of the text makes a new version (ReplyTemplateRevision keeps every one); a reply
    records the template and version it started from.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="reply_templates",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TemplateKind.choices)
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, default="en")
    body = models.TextField(_("text"))
    reviewer = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    active = models.BooleanField(_("offered to handlers"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["organisation", "kind", "language", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.language}, v{self.version})"


class ReplyTemplateRevision(models.Model):
    template = models.ForeignKey(ReplyTemplate, on_delete=models.CASCADE,
                                 related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField()
    reviewer = models.CharField(max_length=200, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["template", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.version}"


class TemplateUse(models.Model):
    """Which template (and version) a handler's reply started from."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="template_use")
    template = models.ForeignKey(ReplyTemplate, null=True, on_delete=models.SET_NULL)
    version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.message_id}: {self.template_id} v{self.version}"


class ReminderSent(models.Model):
    """One content-free reminder digest per handler per day, so a tick every few minutes does not
    flood anyone."""

    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    sent_at = models.DateTimeField()
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["handler", "day"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.handler} {self.day}"


class CaseReading(models.Model):
    """When a handler last opened a case: the reporter's messages after it are new to them.

    One row per handler and case, kept by opening the case page (actions.view_case). Dates only.
    """

    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="readings")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="readings")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["handler", "report"], name="case_reading_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handler_id} / {self.report_id} @ {self.seen_at:%Y-%m-%d %H:%M}"
