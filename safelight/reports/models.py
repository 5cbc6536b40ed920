"""The case core: channels, questionnaires, reports and what hangs off them.

Every app above (intake, cases, escrow, triage, evidence) builds on these models; this app imports
none of them. Its app label stays "intake", the label these tables have always had, so that table
names, content types, permissions, admin addresses and audit events did not change when the models
moved out of the reporter-side package (issue 14).

What a reporter writes is stored only as ciphertext (safelight.crypto): answers and identity,
messages, file names and contents. What stays in clear is what routing and deadlines need: the
channel, the status, dates (DESIGN.md, data protection model).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from parler.cache import is_missing
from parler.models import TranslatedFields

from safelight.accounts.content import TranslatedContent
from safelight.accounts.models import Handler, Organisation


def parse_day_list(text: str) -> list[int]:
    """ "30, 90, 180" -> [30, 90, 180]; raises ValueError on anything else."""
    days = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    if any(day <= 0 or day > 3650 for day in days):
        raise ValueError(text)
    return sorted(set(days))


def validate_day_list(value: str) -> None:
    try:
        parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days between 1 and 3650, separated by commas."),
        ) from None


# Second path segments under /<organisation>/ that Safelight uses itself.
RESERVED_CHANNEL_SLUGS = frozenset({"help"})


def validate_channel_slug(value: str) -> None:
    if value in RESERVED_CHANNEL_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by Safelight itself; choose another address."),
            params={"slug": value},
        )


# django-stubs cannot see Step and Channel as models (their base comes from django-parler, which
# has no types), so it cannot name the managers of their relations to a questionnaire.
class Questionnaire(models.Model):  # type: ignore[django-manager-missing]
    """The questions a channel asks, in steps. Data that an administrator edits."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name


class Step(TranslatedContent):
    questionnaire: models.ForeignKey = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE,
        related_name="steps",
    )
    position: models.PositiveIntegerField = models.PositiveIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        introduction=models.TextField(_("introduction"), blank=True),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.questionnaire}: {self.text('title')}"

    def content_organisation(self) -> Organisation | None:
        return self.questionnaire.organisation if self.questionnaire_id else None


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DATE = "date", _("Date")
    DATE_RANGE = "date_range", _("Date range")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("Files")
    EXCLUDED_RECIPIENTS = "excluded_recipients", _("People who must not see the report")
    RISK_CHECKLIST = "risk_checklist", _("Safety checklist (the organisation's risk items)")
    REPORT_TOGETHER = "report_together", _(
        "Report together: hold the report until someone else names the same person"
    )


CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def parse_choices(text: str) -> list[Choice]:
    """One choice per line; "code | Label" names the code that conditions refer to."""
    choices = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, bar, label = line.partition("|")
        if not bar:
            label = code
            code = slugify(label)[:50]
        choices.append(Choice(value=code.strip(), label=label.strip()))
    return choices


class Question(TranslatedContent):
    step: models.ForeignKey = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.CASCADE, related_name="questions"
    )
    position: models.PositiveIntegerField = models.PositiveIntegerField(_("position"), default=0)
    key: models.SlugField = models.SlugField(
        _("code"),
        max_length=50,
        help_text=_("A short code, unique in the questionnaire. Conditions refer to it."),
    )
    kind: models.CharField = models.CharField(
        _("kind"), max_length=30, choices=QuestionKind.choices)
    required: models.BooleanField = models.BooleanField(
        _("required"), default=False, help_text=_("Questions are optional unless marked.")
    )
    identity: models.BooleanField = models.BooleanField(
        _("identity"),
        default=False,
        help_text=_(
            "Name or contact details: stored apart, encrypted separately, and shown only to "
            "recipients allowed to see who reported."
        ),
    )
    show_if: models.ForeignKey = models.ForeignKey(
        "self",
        verbose_name=_("show only if question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    translations = TranslatedFields(
        label=models.CharField(_("question"), max_length=500),
        help_text=models.TextField(_("help text"), blank=True),
        choices=models.TextField(
            _("choices"),
            blank=True,
            help_text=_(
                "For choice questions: one per line. Start a line with a code and “|” "
                "(e.g. “threats | Threats”) to give the choice a code for conditions."
            ),
        ),
    )
    show_if_value: models.CharField = models.CharField(
        _("has the answer"),
        max_length=50,
        blank=True,
        help_text=_("A choice's code, or “yes” / “no” for a yes-or-no question."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["step__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text("label")

    def content_organisation(self) -> Organisation | None:
        # None for a question not yet in a step (the site's language is the fallback then).
        return self.step.questionnaire.organisation if self.step_id else None

    def choice_list(self) -> list[Choice]:
        """The choices in the current language (or its fallback): the codes are the same in
        every language, only the words differ."""
        return parse_choices(self.text("choices"))

    def choice_codes_in(self, language_code: str) -> list[str] | None:
        """The codes of the choices as written in `language_code`; None: no such translation."""
        try:
            translation = self._get_translated_model(language_code, use_fallback=False)
        except ObjectDoesNotExist:
            return None
        return [choice.value for choice in parse_choices(translation.choices or "")]

    def _languages_written(self) -> list[str]:
        """The languages this question has words in, saved or about to be."""
        unsaved = [code for code, value in self._translations_cache[self._parler_meta.root_model]
                   .items() if not is_missing(value)]
        if self.pk is None:
            return unsaved
        return list(self.get_available_languages(include_unsaved=True))

    def _choice_code_errors(self) -> str | None:
        """Every language lists the same choice codes as the default language: an answer stores
        a code, and must mean the same whichever language it was given in."""
        if self.kind not in CHOICE_KINDS or not self.step_id:
            return None
        current = self.get_current_language()
        default = self.content_language()
        mine = self.choice_codes_in(current) or []
        if current != default:
            theirs = self.choice_codes_in(default)
            if theirs is not None and sorted(mine) != sorted(theirs):
                return str(_(
                    "Every language lists the same choices with the same codes, so that an "
                    "answer keeps its meaning. Start each line with one of these codes and "
                    "“|”: %(codes)s."
                ) % {"codes": ", ".join(theirs)})
            return None
        others = [code for code in self._languages_written()
                  if code != current
                  and sorted(self.choice_codes_in(code) or []) != sorted(mine)]
        if others:
            return str(_(
                "The translations into %(languages)s list other codes. Every language lists "
                "the same choices with the same codes, so that an answer keeps its meaning."
            ) % {"languages": ", ".join(
                str(dict(settings.LANGUAGES).get(code, code)) for code in sorted(others))})
        return None

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.kind in CHOICE_KINDS and not self.choice_list():
            errors["choices"] = _("A choice question needs at least one choice.")
        elif (mismatch := self._choice_code_errors()) is not None:
            errors["choices"] = mismatch
        if self.show_if_id and not self.show_if_value:
            errors["show_if_value"] = _("Say which answer shows this question.")
        other = self.show_if if self.show_if_id and self.step_id else None
        if other is not None:
            if other.pk == self.pk:
                errors["show_if"] = _("A question cannot depend on itself.")
            elif other.step.questionnaire_id != self.step.questionnaire_id:
                errors["show_if"] = _("Choose a question of the same questionnaire.")
            elif (other.step.position, other.position) > (self.step.position, self.position):
                errors["show_if"] = _("Choose a question that comes before this one.")
        if self.step_id:
            clash = Question.objects.filter(
                step__questionnaire_id=self.step.questionnaire_id, key=self.key
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["key"] = _("Another question of this questionnaire has this code.")
        if errors:
            raise ValidationError(errors)


class Channel(TranslatedContent):
    """A way in for reports ("Harassment at work"), with its recipients and questionnaire."""

    organisation: models.ForeignKey = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="channels",
    )
    slug: models.SlugField = models.SlugField(
        _("address"), max_length=50, validators=[validate_channel_slug],
    )
    position: models.PositiveIntegerField = models.PositiveIntegerField(_("position"), default=0)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        description=models.TextField(
            _("what it is for"), help_text=_("Shown on the landing page, in plain words.")
        ),
        who_reads=models.TextField(
            _("who reads reports"),
            help_text=_("For example: “Two trained people in HR. Your manager does not see it.”"),
        ),
    )
    questionnaire: models.ForeignKey = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT
    )
    recipients: models.ManyToManyField[Handler, Recipient] = models.ManyToManyField(
        Handler, through="Recipient", verbose_name=_("recipients"), related_name="channels"
    )
    active: models.BooleanField = models.BooleanField(_("taking reports"), default=True)
    max_file_mb: models.PositiveIntegerField = models.PositiveIntegerField(
        _("largest file (MB)"), default=20,
    )
    max_report_mb: models.PositiveIntegerField = models.PositiveIntegerField(
        _("all files of a report (MB)"), default=100,
    )
    acknowledge_days: models.PositiveIntegerField = models.PositiveIntegerField(
        _("days to acknowledge"), default=7,
    )
    feedback_days: models.PositiveIntegerField = models.PositiveIntegerField(
        _("days to give feedback"),
        default=90,
        help_text=_("Counted from the acknowledgement (EU Whistleblower Directive: 3 months)."),
    )
    checkin_days: models.CharField = models.CharField(
        _("check-ins after closing (days)"),
        max_length=100,
        default="30, 90, 180",
        validators=[validate_day_list],
        help_text=_(
            "When the reporter is asked whether anyone has treated them worse since they "
            "reported, counted from the day the case is closed. Empty: no check-ins."
        ),
    )

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        # Not by name: a name is one row a language (translations), and the position is the
        # order an administrator chose.
        ordering = ["organisation__name", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="channel_slug_unique")
        ]

    def __str__(self) -> str:
        return self.text("name")

    def content_organisation(self) -> Organisation | None:
        return self.organisation

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_report_bytes(self) -> int:
        return self.max_report_mb * 1024 * 1024

    @property
    def checkin_day_list(self) -> list[int]:
        return parse_day_list(self.checkin_days)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Intake coordinator")
    INVESTIGATOR = "investigator", _("Investigator")
    EXTERNAL = "external", _("External investigator")


class Recipient(models.Model):
    """A handler's place in a channel: their role, whether they see identities, whether on call.

    Coordinators and investigators receive every new report of the channel; coordinators also
    assign. An external investigator, a neutral third party, receives only the reports assigned
    to them: a report's key is sealed to them at assignment, and taken back when it moves on.
    """

    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.CASCADE)
    handler = models.ForeignKey(Handler, verbose_name=_("handler"), on_delete=models.CASCADE)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.COORDINATOR
    )
    sees_identity = models.BooleanField(
        _("may see who reported"),
        default=True,
        help_text=_("Receives the key to the reporter's name and contact details, if given."),
    )
    on_call = models.BooleanField(
        _("on call"),
        default=False,
        help_text=_("Gets an immediate notification, without any content, of every urgent report."),
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["channel", "handler"], name="recipient_unique")
        ]

    def __str__(self) -> str:
        return str(self.handler)

    def clean(self) -> None:
        if (
            self.channel_id
            and self.handler_id
            and self.handler.organisation_id != self.channel.organisation_id
        ):
            raise ValidationError(
                    {"handler": _("Choose a handler of the channel's own organisation.")}
                )


class Status(models.TextChoices):
    # Held in matching escrow (safelight.escrow): no handler holds its key until a counsellor
    # releases it after someone else names the same person; then it becomes new.
    HELD = "held", _("Held until someone else names the same person")
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    STANDARD = "standard", _("Standard")
    ELEVATED = "elevated", _("Elevated")
    URGENT = "urgent", _("Urgent")


# Sorting order for the inbox: urgent first.
PRIORITY_RANK = {Priority.URGENT: 0, Priority.ELEVATED: 1, Priority.STANDARD: 2}


class Report(models.Model):
    """A report and the case that handles it. Only routing and counting fields are in clear."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.STANDARD
    )
    # 0 urgent, 1 elevated, 2 standard: what the inbox sorts on (PRIORITY_RANK).
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    assignee = models.ForeignKey(
        Handler, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_reports",
    )
    # The earliest deadline not yet met (acknowledgement, then feedback); None once both are met
    # or the case is closed. Kept by set_next_deadline() so "overdue" is one indexed comparison.
    next_deadline = models.DateTimeField(_("next deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    feedback_by = models.DateTimeField(_("feedback by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("first feedback"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Argon2id(receipt, pepper) (safelight.crypto.receipts): the receipt itself is never stored.
    lookup_id = models.BinaryField(_("lookup id"), unique=True, editable=False)
    # Ciphertexts: answers under the report key, identity under its own key, and both keys under
    # the key the receipt derives, so the reporter can open their own report.
    answers = models.BinaryField(editable=False)
    identity = models.BinaryField(null=True, editable=False)
    reporter_keys = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at"]
        # The inbox's orders (bench/cases.py measured them at 100,000 cases): open cases by
        # priority then age; a status by deadline; anything with a deadline by deadline.
        indexes = [
            models.Index(fields=["priority_rank", "-submitted_at", "id"],
                         condition=~models.Q(status="closed"), name="report_open_queue"),
            models.Index(fields=["status", "next_deadline", "id"], name="report_status_due"),
            models.Index(fields=["next_deadline", "id"],
                         condition=models.Q(next_deadline__isnull=False), name="report_due"),
            models.Index(fields=["assignee", "status"], name="report_assignee"),
        ]

    def __str__(self) -> str:
        return str(_("Report %(ref)s") % {"ref": self.reference})

    def set_priority(self, priority: str) -> None:
        self.priority = priority
        self.priority_rank = PRIORITY_RANK[Priority(priority)]

    def set_next_deadline(self) -> None:
        if self.status in (Status.CLOSED, Status.HELD):
            self.next_deadline = None
        elif self.acknowledged_at is None:
            self.next_deadline = self.acknowledge_by
        elif self.feedback_at is None:
            self.next_deadline = self.feedback_by
        else:
            self.next_deadline = None

    @property
    def reference(self) -> str:
        """A short name handlers can say aloud; not a secret, not the receipt."""
        return self.id.hex[:8].upper()


class ReportKey(models.Model):
    """The report key sealed to one handler's public key: holding one is what access means."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="keys")
    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="report_keys")
    sealed_report_key = models.BinaryField()
    sealed_identity_key = models.BinaryField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "handler"], name="report_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.handler_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sent_at = models.DateTimeField()
    # None: written by the reporter.
    author = models.ForeignKey(Handler, null=True, on_delete=models.PROTECT)
    body = models.BinaryField()
    # A handler's reply that tells the reporter what was done or will be done: only such a reply
    # meets the first-feedback deadline (an acknowledgement or a question does not). Metadata in
    # clear, like the deadlines it sets; the words stay sealed in `body`.
    gives_feedback = models.BooleanField(default=False)

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return str(self.pk)  # the content is sealed; only the id can be shown

    @property
    def from_reporter(self) -> bool:
        return self.author_id is None


class Attachment(models.Model):
    """An encrypted file of a report: the reporter's evidence or a file sent with a message."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, on_delete=models.CASCADE, related_name="attachments"
    )
    added_at = models.DateTimeField()
    storage_name = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    # Under the report key: the file's own stream key, and its name, kind and what was removed.
    sealed_key = models.BinaryField()
    sealed_details = models.BinaryField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return str(self.pk)  # the name is sealed with the rest
