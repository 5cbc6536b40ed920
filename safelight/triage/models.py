"""Risk checklists (versioned data an administrator edits) and the assessments made with them.

Which items were ticked, and any note, is sealed under the report key like everything else a
reporter or handler writes about the case. Only the resulting priority is in clear, for routing.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from safelight.accounts.content import TranslatedContent
from safelight.accounts.models import Handler, Organisation
from safelight.reports.models import Priority


class RiskChecklist(TranslatedContent):
    """One version of an organisation's risk checklist. Once an assessment uses a version, it is
    never changed again: an administrator makes a new version and publishes it. Its words, and
    its items', are written once a language (safelight.accounts.content)."""

    organisation: models.ForeignKey = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="risk_checklists",
    )
    version: models.PositiveIntegerField = models.PositiveIntegerField(_("version"))
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        introduction=models.TextField(
            _("introduction"),
            blank=True,
            help_text=_(
                "Shown to reporters above the items: plain words, no blame; say that every item "
                "is optional and why you ask."
            ),
        ),
    )
    elevated_at: models.PositiveSmallIntegerField = models.PositiveSmallIntegerField(
        _("elevated from score"),
        validators=[MinValueValidator(1)],
        help_text=_("A score of at least this makes the priority “elevated”."),
    )
    urgent_at: models.PositiveSmallIntegerField = models.PositiveSmallIntegerField(
        _("urgent from score"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "A score of at least this makes the priority “urgent”; so does any item marked "
            "“urgent on its own”."
        ),
    )
    published: models.BooleanField = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("The published version is the one reporters and handlers answer."),
    )
    created_at: models.DateTimeField = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk checklist")
        verbose_name_plural = _("risk checklists")
        ordering = ["organisation__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="risk_checklist_version_unique"
            )
        ]

    def __str__(self) -> str:
        return str(_("%(name)s, version %(version)s") % {"name": self.name,
                                                          "version": self.version})

    def content_organisation(self) -> Organisation:
        return self.organisation

    def clean(self) -> None:
        if (
            self.elevated_at is not None
            and self.urgent_at is not None
            and self.elevated_at > self.urgent_at
        ):
            raise ValidationError(
                {"urgent_at": _("The urgent score must be at least the elevated score.")}
            )


class RiskItem(TranslatedContent):
    checklist: models.ForeignKey = models.ForeignKey(
        RiskChecklist, verbose_name=_("checklist"), on_delete=models.CASCADE,
        related_name="items",
    )
    position: models.PositiveIntegerField = models.PositiveIntegerField(_("position"), default=0)
    key: models.SlugField = models.SlugField(
        _("code"), max_length=50, help_text=_("A short code, unique in the checklist.")
    )
    translations = TranslatedFields(
        question=models.CharField(
            _("question for reporters"),
            max_length=500,
            help_text=_(
                "Plain words, addressed to the reporter, no blame. For example: “Does the "
                "person know or control any of your passwords?”"
            ),
        ),
        handler_label=models.CharField(
            _("label for handlers"), max_length=200,
            help_text=_("Short, for the handler's checklist. For example: “Knows or controls "
                        "passwords”."),
        ),
        reason=models.CharField(
            _("why it raises risk"), max_length=1000,
            help_text=_("A sentence or two shown to handlers, ideally with its source."),
        ),
    )
    weight: models.PositiveSmallIntegerField = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MaxValueValidator(100)],
        help_text=_("Added to the score when the item is ticked."),
    )
    urgent_alone: models.BooleanField = models.BooleanField(
        _("urgent on its own"),
        default=False,
        help_text=_("Ticking this item makes the priority urgent, whatever the score."),
    )

    class Meta:
        verbose_name = _("risk item")
        verbose_name_plural = _("risk items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "key"], name="risk_item_key_unique")
        ]

    def __str__(self) -> str:
        return self.handler_label

    def content_organisation(self) -> Organisation:
        return self.checklist.organisation


# The translation tables (django-parler's, one row a language) and the words each holds.
RiskChecklistTranslation = RiskChecklist._parler_meta.root_model
RiskItemTranslation = RiskItem._parler_meta.root_model
CHECKLIST_TEXTS = ("name", "introduction")
ITEM_TEXTS = ("question", "handler_label", "reason")


class RiskAssessment(models.Model):
    """A completed checklist for one report: by the reporter at intake (assessed_by empty) or by
    a handler later. The latest one sets the report's priority."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(
        "intake.Report", verbose_name=_("report"), on_delete=models.CASCADE,
        related_name="risk_assessments",
    )
    checklist = models.ForeignKey(
        RiskChecklist, verbose_name=_("checklist"), on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_at = models.DateTimeField(_("assessed"))
    # None: the reporter, at intake.
    assessed_by = models.ForeignKey(
        Handler, verbose_name=_("assessed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # Under the report key: {"checked": [item keys], "note": "..."}.
    checked = models.BinaryField(editable=False)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_at"]
        indexes = [
            models.Index(fields=["report", "-assessed_at"], name="risk_assessment_latest"),
        ]

    def __str__(self) -> str:
        return str(self.pk)  # what was ticked is sealed

    @property
    def by_reporter(self) -> bool:
        return self.assessed_by_id is None
