"""Reporter-side sessions the server can end (reads; writes are in session_actions).

The receipt's follow-up and an open evidence locker are kept open by a sealed cookie
(safelight.sealed_cookies). That cookie carries a random session id, and it opens something only
while the server holds a row for that id: Leave, Close my locker and Quick exit delete the row,
so a copy of the cookie taken before opens nothing after. The row holds a hash of the id, the
kind of session and an absolute expiry, and nothing that says which report or locker it opened.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.utils import timezone

from safelight.accounts.models import Organisation
from safelight.intake.models import Draft, ReporterSession

FOLLOWUP = "followup"
LOCKER = "locker"
KINDS = (FOLLOWUP, LOCKER)
# However active, a session ends this long after it began (the cookie also ends after 30 idle
# minutes, and when the browser closes).
LIFETIME = datetime.timedelta(hours=8)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def id_hash(session_id: str) -> str:
    return hashlib.blake2b(session_id.encode("utf-8"), digest_size=32,
                           person=b"sl-rsession").hexdigest()


def is_live(kind: str, session_id: object) -> bool:
    """Whether this session id opens a session of this kind now."""
    if not isinstance(session_id, str) or not session_id or len(session_id) > 100:
        return False
    return ReporterSession.objects.filter(
        id_hash=id_hash(session_id), kind=kind, expires_at__gt=timezone.now()
    ).exists()


def exit_url(*, organisation_id: int | None = None, draft_id: uuid.UUID | None = None) -> str:
    """Where Quick exit goes: the organisation's neutral page (named, or the draft's), else the
    server's default."""
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None and draft_id is not None:
        draft = Draft.objects.filter(pk=draft_id).select_related("channel__organisation").first()
        organisation = draft.channel.organisation if draft is not None else None
    if organisation is not None and organisation.quick_exit_url:
        return organisation.quick_exit_url
    return settings.SAFELIGHT_QUICK_EXIT_URL
