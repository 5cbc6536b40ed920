"""The reporter side's periodic jobs (safelight.tasks.periodic_job): what expires is removed."""

from __future__ import annotations

from safelight.intake.actions import purge_expired_drafts, remove_orphaned_files
from safelight.intake.session_actions import purge_expired_reporter_sessions
from safelight.tasks import periodic_job


@periodic_job("drafts_purged", order=10)
def drafts_purged() -> int:
    """Drafts past their lifetime, with their files."""
    return purge_expired_drafts()


@periodic_job("reporter_sessions_purged", order=50)
def reporter_sessions_purged() -> int:
    """Follow-up and locker sessions past their absolute expiry."""
    return purge_expired_reporter_sessions()


@periodic_job("orphaned_files_removed", order=60)
def orphaned_files_removed() -> int:
    """Stored files that no row references, once older than the longest upload."""
    return remove_orphaned_files()
