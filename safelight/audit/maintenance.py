"""The one sanctioned way to delete audit events: a connection-local unlock.

The database refuses every UPDATE of an audit event, and every DELETE unless the connection that
runs it has been unlocked here. Retention purges (administrator-set retention) and the test suite's
flush between browser tests use it; nothing else does. UPDATE is never unlocked.

PostgreSQL: the trigger reads the session setting `safelight.audit_unlocked`. SQLite: the trigger
calls the function `safelight_audit_unlocked()`, which each connection registers (see apps.py);
opened from anywhere else (the sqlite3 shell), the function does not exist and DELETE fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

_SQLITE_FLAG = "safelight_audit_unlocked"


@contextmanager
def unlocked(using: str = "default") -> Iterator[None]:
    connection = connections[using]
    _set(connection, True)
    try:
        yield
    finally:
        _set(connection, False)


def _set(connection: BaseDatabaseWrapper, on: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('safelight.audit_unlocked', %s, false)", ["on" if on else "off"]
            )
    else:
        setattr(connection, _SQLITE_FLAG, on)


def register_sqlite_function(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """connection_created receiver: give each SQLite connection the trigger's function."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "safelight_audit_unlocked", 0, lambda: int(getattr(connection, _SQLITE_FLAG, False))
    )
