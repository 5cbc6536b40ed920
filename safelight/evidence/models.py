"""The evidence locker's rows. Everything a survivor wrote or imported is sealed under the locker
key; what is in clear is ids, dates, sizes and the custody log's hashes, which are salted with a
secret per item so that a hash never confirms a guess of the content (docs/evidence.md).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Locker(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Argon2id(passphrase, pepper) -> 0x52 || 32 bytes (safelight.crypto.passphrases).
    lookup_id = models.BinaryField(unique=True)
    # The locker key, sealed under the passphrase's wrap key (field "key").
    sealed_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    # The custody log: its size and compact range (safelight.crypto.merkle.CompactRange), so
    # appending never reads old leaves.
    log_size = models.PositiveBigIntegerField(default=0)
    log_range = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("evidence locker")

    def __str__(self) -> str:
        return f"Locker {self.pk}"

class LeafBlock(models.Model):
    """The custody log's leaf hashes, BLOCK_LEAVES of them per row, concatenated."""

    BLOCK_LEAVES = 4096

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="leaf_blocks")
    number = models.PositiveIntegerField()
    hashes = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["locker", "number"], name="evidence_leafblock_unique")
        ]

    def __str__(self) -> str:
        return f"Leaves {self.number} of locker {self.locker_id}"

class TreeHead(models.Model):
    """A signed tree head: the log's size and root at a moment, signed by the deployment."""

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="tree_heads")
    tree_size = models.PositiveBigIntegerField()
    root_hash = models.BinaryField()
    timestamp_ms = models.PositiveBigIntegerField()
    signature = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["locker", "tree_size"], name="evidence_treehead_unique")
        ]

    def __str__(self) -> str:
        return f"Tree head {self.tree_size} of locker {self.locker_id}"

class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="incidents")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Incident {self.pk}"

class IncidentVersion(models.Model):
    """Every saved version of an incident, kept: editing never overwrites (field "content")."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    sealed_content = models.BinaryField()
    leaf_index = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "number"], name="evidence_incidentversion_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of incident {self.incident_id}"

class MessageImport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="imports")
    created_at = models.DateTimeField(default=timezone.now)
    # Sealed summary (field "summary"): format, file name, counts, skipped, flagged index.
    sealed_summary = models.BinaryField()

    def __str__(self) -> str:
        return f"Import {self.pk}"

class EvidenceFile(models.Model):
    """A stored original: an upload of an incident, an imported export, or media from one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="files")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    message_import = models.ForeignKey(
        MessageImport, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    added_at = models.DateTimeField(default=timezone.now)
    storage_name = models.CharField(max_length=32, unique=True)
    size = models.PositiveBigIntegerField()
    # Sealed (field "meta"): name, content type, SHA-256, the file's own stream key, its role.
    sealed_meta = models.BinaryField()
    leaf_index = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"File {self.pk}"

class MessagePage(models.Model):
    """Up to PAGE_MESSAGES imported messages, sealed together (field "messages")."""

    PAGE_MESSAGES = 1000

    message_import = models.ForeignKey(
        MessageImport, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    first_leaf = models.PositiveBigIntegerField()
    sealed_messages = models.BinaryField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_import", "number"], name="evidence_messagepage_unique")
        ]

    def __str__(self) -> str:
        return f"Page {self.number} of import {self.message_import_id}"

class LockerShare(models.Model):
    """The locker key sealed to a handler, because the survivor shared it with their report."""

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="shares")
    handler = models.ForeignKey(
        "accounts.Handler", on_delete=models.CASCADE, related_name="locker_shares")
    report = models.ForeignKey(
        "intake.Report", on_delete=models.CASCADE, related_name="locker_shares")
    sealed_key = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["locker", "handler", "report"], name="evidence_lockershare_unique")
        ]

    def __str__(self) -> str:
        return f"Locker {self.locker_id} shared with {self.handler_id}"

class IncidentDraftFile(models.Model):
    """A file chosen on the incident form when the form could not be saved (a date before its
    start, a line that is not a link): kept, encrypted, so it need not be chosen again.

    Its stream key, name and type are sealed under the locker key (field "draft-meta"), so only
    the open locker can read them. It becomes an EvidenceFile when the incident is saved, and is
    deleted when the person removes it, when the locker is deleted, or DRAFT_LIFETIME after it
    was chosen. It is not in the custody log until it is saved with an incident.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="draft_files")
    added_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    storage_name = models.CharField(max_length=32, unique=True)
    size = models.PositiveBigIntegerField()
    sealed_meta = models.BinaryField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Draft file {self.pk}"
