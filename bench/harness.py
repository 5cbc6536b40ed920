"""What the database benchmarks share (bench.cases, bench.escrow): the parent runs one child
process per database, each against a fresh database, and relays only its JSON result lines.

PostgreSQL gets a dedicated throw-away database, dropped and created again; when the server does
not answer it is skipped with a note. Lines a child prints that are not JSON go to stderr, so
stdout holds nothing but results.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Environment variables that would point a child at something real, or change it.
SCRUBBED = (
    "DATABASE_URL", "SAFELIGHT_CACHE_URL", "SAFELIGHT_SECRET_KEY", "SAFELIGHT_RECEIPT_PEPPER",
    "SAFELIGHT_ALLOWED_HOSTS", "SAFELIGHT_DEBUG", "SAFELIGHT_HTTPS", "SAFELIGHT_INTERFACES",
    "SAFELIGHT_TASKS_URL", "SAFELIGHT_EMAIL_URL", "SAFELIGHT_STAFF_URL", "DJANGO_SETTINGS_MODULE",
    "SAFELIGHT_TRUSTED_PROXIES",
    "SAFELIGHT_KEY_SERVICE_1_URL", "SAFELIGHT_KEY_SERVICE_1_TOKEN",
    "SAFELIGHT_KEY_SERVICE_2_URL", "SAFELIGHT_KEY_SERVICE_2_TOKEN", "SAFELIGHT_KEY_SHARE",
    "SAFELIGHT_KEY_SERVICE_TOKEN", "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT",
    "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT",
)

Log = Callable[[str], None]


class BenchError(RuntimeError):
    pass


def p(values: list[float], q: float) -> float:
    """Nearest-rank percentile (as bench.intake)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _postgres_admin(url: str):
    """(connection to the server's ``postgres`` database, name of the bench database)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "template0",
                                                                "template1"):
        raise BenchError(f"{name!r} is not a name for a throw-away benchmark database")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return psycopg.connect(admin, autocommit=True, connect_timeout=3), name


def recreate_postgres(url: str, log: Log) -> bool:
    """Drop and create the bench's database; False (with a note) when the server is not there."""
    import psycopg

    try:
        connection, name = _postgres_admin(url)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log(f"PostgreSQL skipped: the server does not answer ({first})")
        return False
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    log(f"PostgreSQL: database {name} created")
    return True


def drop_postgres(url: str) -> None:
    connection, name = _postgres_admin(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def relay_child(database: str, command: list[str], *, env: dict[str, str], data_dir: Path,
                postgres_url: str, keep: bool, log: Log) -> bool:
    """Run one database's child; relay its JSON lines to stdout; clean up its data unless
    `keep`. True when it succeeded."""
    log(f"{database}: child process, data directory {data_dir}")
    try:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            try:
                json.loads(line)
            except ValueError:
                sys.stderr.write(line)  # not a result: keep stdout clean
                continue
            sys.stdout.write(line)
            sys.stdout.flush()
        code = process.wait()
        if code:
            log(f"{database}: failed (exit status {code})")
        return code == 0
    finally:
        if keep:
            log(f"{database}: data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if database == "postgresql":
                drop_postgres(postgres_url)
