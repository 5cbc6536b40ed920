"""Writes of reporter-side sessions: start and end a follow-up or locker session, Quick exit.

No audit event is written here, on purpose: a session's start and end say when a reporter or
survivor was on the site, which nobody handling reports needs to know (drafts are not audited
for the same reason). The rows themselves name no report or locker.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safelight import sealed_cookies
from safelight.intake.actions import discard_draft
from safelight.intake.models import Draft, ReporterSession
from safelight.intake.reporter_sessions import KINDS, LIFETIME, id_hash, new_session_id


@transaction.atomic
def start_reporter_session(*, kind: str) -> str:
    """A new session of this kind; returns its id, which only the cookie keeps."""
    if kind not in KINDS:
        raise ValueError(kind)
    session_id = new_session_id()
    ReporterSession.objects.create(id_hash=id_hash(session_id), kind=kind,
                                   expires_at=timezone.now() + LIFETIME)
    return session_id


@transaction.atomic
def end_reporter_sessions(*, session_ids: Iterable[str]) -> int:
    """End these sessions (any kind): their cookies open nothing any more."""
    hashes = [id_hash(s) for s in session_ids if isinstance(s, str) and s and len(s) <= 100]
    if not hashes:
        return 0
    deleted, _ = ReporterSession.objects.filter(id_hash__in=hashes).delete()
    return deleted


@transaction.atomic
def quick_exit(*, draft_id: uuid.UUID | None, session_ids: Iterable[str]) -> None:
    """End everything this browser had open on the reporter side: the draft is discarded (with
    its files), and the follow-up and locker sessions are ended."""
    if draft_id is not None:
        draft = Draft.objects.filter(pk=draft_id).first()
        if draft is not None:
            discard_draft(draft=draft)
    end_reporter_sessions(session_ids=session_ids)


def purge_expired_reporter_sessions() -> int:
    """Delete sessions past their absolute expiry (the periodic run)."""
    deleted, _ = ReporterSession.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def close_sealed_session(response: HttpResponse, name: str, *, person: bytes, purpose: str,
                         request: HttpRequest | None = None) -> None:
    """Delete a follow-up or locker cookie; given the request, also end the session it names on
    the server, so that a copy of the cookie opens nothing (Leave, Close my locker)."""
    if request is not None:
        sid = sealed_cookies.session_id(request, name, person=person, purpose=purpose)
        if sid is not None:
            end_reporter_sessions(session_ids=[sid])
    sealed_cookies.clear(response, name)
