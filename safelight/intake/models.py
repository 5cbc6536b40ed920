"""The reporter side's own rows: drafts being written, their files, and reporter sessions.

The case itself (channels, questionnaires, reports, keys, messages, attachments) is in the case
core, safelight.reports. These tables keep the names they had when they lived with it.
"""

from __future__ import annotations

import uuid

from django.db import models

from safelight.reports.models import Channel


class Draft(models.Model):
    """A report being written. Sealed under a key that lives only in the reporter's cookie, so
    that "Back" and a reload lose nothing and the server keeps nothing readable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="drafts")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    data = models.BinaryField()

    class Meta:
        db_table = "intake_draft"

    def __str__(self) -> str:
        return str(self.pk)


class DraftFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    added_at = models.DateTimeField()
    storage_name = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    # Under the draft key: the stream key and the details (name, kind, question, removed).
    sealed_key = models.BinaryField()
    sealed_details = models.BinaryField()

    class Meta:
        db_table = "intake_draftfile"
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return str(self.pk)  # the name is sealed with the rest


class ReporterSession(models.Model):
    """A reporter-side session (the receipt's follow-up, an open evidence locker) that the server
    can end: the sealed cookie carries a random session id, and it opens something only while
    this row exists. Leave, Close my locker and Quick exit delete the row, so a copied cookie
    opens nothing afterwards.

    Only a hash of the id is kept, with the kind and an absolute expiry: nothing that says which
    report or locker the session opened, or who opened it."""

    id_hash = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=16)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "intake_reportersession"

    def __str__(self) -> str:
        return self.kind
