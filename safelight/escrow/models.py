"""Escrow settings, entries and matches (docs/escrow.md).

In clear: which report an entry holds back (the report row already says it is held), the match
index π (an OPRF-derived value that no one can link to a person without both key services),
the path the entry took, and dates. Sealed: the entry's data (under its own key k_e) and the
counsellors' shares (U, s, k_e under k), each sealed to one counsellor's public key.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from safelight.accounts.models import Handler, Organisation
from safelight.reports.models import Report


class EscrowSettings(models.Model):
    """Whether an organisation offers "report together", and who may open matches."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="escrow_settings",
    )
    enabled = models.BooleanField(
        _("offer “report together”"),
        default=False,
        help_text=_("Reporters can hold their report until someone else names the same person. "
                    "Read docs/escrow.md before you turn it on."),
    )
    phone_region = models.CharField(
        _("default country for phone numbers"),
        max_length=2,
        blank=True,
        help_text=_("Two letters, e.g. GB or DE: phone numbers written without +country code "
                    "are read as numbers of this country. Empty: reporters must write the +."),
    )
    counsellors = models.ManyToManyField(
        Handler, verbose_name=_("escrow counsellors"), blank=True,
        related_name="counselling_escrow",
        help_text=_("Handlers who are told of a match, open it and release the reports. Each "
                    "new entry is sealed to every counsellor who has signed in once."),
    )

    class Meta:
        verbose_name = _("report-together settings")
        verbose_name_plural = _("report-together settings")

    def __str__(self) -> str:
        return str(self.organisation)


class EntryPath(models.TextChoices):
    BROWSER = "browser", _("In the reporter's browser")
    SERVER = "server", _("On the server, without JavaScript")


class EscrowEntry(models.Model):
    """One identifier of one held report: π in clear, everything else sealed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of their own: escrow_entry_pi starts with the organisation, and the unique
    # constraint below with the report (bench.escrow: 7-11 % of the bytes per entry).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="escrow_entries", db_index=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="escrow_entries",
                               db_index=False)
    match_index = models.BinaryField(max_length=32)
    path = models.CharField(max_length=10, choices=EntryPath.choices)
    created_at = models.DateTimeField()
    sealed_data = models.BinaryField()
    # Set when a counsellor opened it in a match, or found that it does not fit (never trusted).
    matched_at = models.DateTimeField(null=True, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "match_index"], name="escrow_entry_pi")]
        constraints = [
            # One reporter's entries never match each other: the same person named twice by the
            # same report is one entry.
            models.UniqueConstraint(fields=["report", "match_index"],
                                    name="escrow_entry_once_per_report"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class EscrowShare(models.Model):
    """(U, s, k_e under k) of one entry, sealed to one counsellor's public key."""

    entry = models.ForeignKey(EscrowEntry, on_delete=models.CASCADE, related_name="shares",
                              db_index=False)  # escrow_share_unique starts with it
    counsellor = models.ForeignKey(Handler, on_delete=models.CASCADE,
                                   related_name="escrow_shares")
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "counsellor"], name="escrow_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.counsellor_id}"


class MatchState(models.TextChoices):
    PENDING = "pending", _("Waiting for a counsellor")
    RELEASED = "released", _("Released")
    FLAGGED = "flagged", _("Shares do not fit: nothing released")


class EscrowMatch(models.Model):
    """Entries of two or more reports that share π. Pending until a counsellor opens it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="escrow_matches")
    match_index = models.BinaryField(max_length=32)
    state = models.CharField(max_length=10, choices=MatchState.choices,
                             default=MatchState.PENDING)
    found_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(Handler, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "match_index"],
                                    name="escrow_match_unique"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

    def entries(self):
        return EscrowEntry.objects.filter(organisation_id=self.organisation_id,
                                          match_index=self.match_index)
