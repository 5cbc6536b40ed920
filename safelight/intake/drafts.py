"""The reporter's draft: which one it is, and the key that opens it, live only in a cookie.

The cookie ends when the browser closes; the draft row expires a day after its last change, so a
person who leaves without Quick exit can come back to it. Quick exit discards it at once
(safelight.exit_views). With
`Cache-Control: no-store` a browser's Back button fetches pages afresh, so every page of the
questionnaire is rendered from the draft, and nothing the person typed is lost.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safelight.crypto import CryptoError
from safelight.intake.models import Draft
from safelight.reports.models import Channel
from safelight.reports.sealing import b64, open_json, unb64

COOKIE = "safelight_draft"
PURPOSE = "draft"


@dataclass
class DraftFileInfo:
    id: str
    name: str
    kind: str
    question: str
    size: int
    removed: list[str]
    kept: list[str]
    warning: list[str]
    content_type: str = ""  # detected from the content; drafts from before it was kept have none


@dataclass
class OpenDraft:
    draft: Draft
    key: bytes
    answers: dict[str, Any]
    files: list[DraftFileInfo] = field(default_factory=list)

    @property
    def channel(self) -> Channel:
        return self.draft.channel

    def files_for(self, question_key: str) -> list[DraftFileInfo]:
        return [f for f in self.files if f.question == question_key]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


def set_cookie(response: HttpResponse, draft: Draft, key: bytes) -> None:
    response.set_cookie(
        COOKIE,
        f"{draft.pk.hex}.{b64(key)}",
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def delete_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")


def _cookie(request: HttpRequest) -> tuple[uuid.UUID, bytes] | None:
    value = request.COOKIES.get(COOKIE, "")
    draft_id, _dot, key_text = value.partition(".")
    try:
        return uuid.UUID(hex=draft_id), unb64(key_text)
    except ValueError:
        return None


def draft_id(request: HttpRequest) -> uuid.UUID | None:
    """Which draft this browser's cookie names, if any (for Quick exit, which discards it)."""
    found = _cookie(request)
    return found[0] if found is not None else None


def open_draft(request: HttpRequest, channel: Channel) -> OpenDraft | None:
    """The reporter's live draft for this channel, or None (no cookie, expired, other channel)."""
    found = _cookie(request)
    if found is None:
        return None
    draft_uuid, key = found
    draft = (
        Draft.objects.filter(pk=draft_uuid, channel=channel, expires_at__gt=timezone.now())
        .select_related("channel__organisation", "channel__questionnaire")
        .first()
    )
    if draft is None:
        return None
    try:
        answers = open_json(key, bytes(draft.data), purpose=PURPOSE, object_id=draft.pk,
                            field="answers")
        files = [
            DraftFileInfo(
                id=str(f.pk),
                size=f.size,
                **open_json(key, bytes(f.sealed_details), purpose=PURPOSE, object_id=f.pk,
                            field="details"),
            )
            for f in draft.files.all()
        ]
    except (CryptoError, ValueError):
        return None
    return OpenDraft(draft=draft, key=key, answers=answers, files=files)
