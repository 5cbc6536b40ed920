"""Reading Safelight's configuration from environment variables.

settings.py calls `load()` once; everything here is a plain function of a mapping so that tests can
check every rule without re-importing Django settings. docs/configuration.md documents each one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

MODES = ("production", "demo")
INTERFACES = ("reporter", "staff")
SECRET_KEY_MIN_LENGTH = 50
PEPPER_MIN_BYTES = 32
PEPPER_MAX_BYTES = 64  # it keys BLAKE2b (safelight.crypto.receipts), which takes at most 64 bytes


class ConfigurationError(ImproperlyConfigured):
    """A setting is missing or wrong; the message says which variable to set and how."""


# Where mails go when production has no SAFELIGHT_EMAIL_URL: nowhere, with a logged warning.
UNCONFIGURED_EMAIL_BACKEND = "safelight.notifications.UnconfiguredEmailBackend"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class EmailConfig:
    """Django's EMAIL_* settings, read from SAFELIGHT_EMAIL_URL."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str | None = None


@dataclass(frozen=True)
class Config:
    mode: str
    data_dir: Path
    secret_key: str
    receipt_pepper: bytes
    interfaces: frozenset[str]
    database: dict[str, Any]
    allowed_hosts: list[str]
    debug: bool
    https: bool
    quick_exit_url: str
    log_level: str
    cache: dict[str, Any]
    tasks: dict[str, Any]
    rq_queues: dict[str, Any] | None
    email: EmailConfig
    email_from: str
    staff_url: str

    @property
    def production(self) -> bool:
        return self.mode == "production"


def load(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    mode = _choice(env, "SAFELIGHT_MODE", MODES, default="production")
    production = mode == "production"
    data_dir = Path(env.get("SAFELIGHT_DATA_DIR") or Path.cwd() / "var").resolve()
    debug = _flag(env, "SAFELIGHT_DEBUG", default=False)
    if production and debug:
        raise ConfigurationError(
            "SAFELIGHT_DEBUG is on in production mode. Debug pages show what people typed; "
            "unset SAFELIGHT_DEBUG, or set SAFELIGHT_MODE=demo on a machine that holds no real "
            "reports."
        )
    tasks, rq_queues = task_settings(env.get("SAFELIGHT_TASKS_URL", ""))
    email = email_settings(env.get("SAFELIGHT_EMAIL_URL", ""), production, data_dir)
    return Config(
        mode=mode,
        data_dir=data_dir,
        secret_key=_secret_key(env, production, data_dir),
        receipt_pepper=_receipt_pepper(env, production, data_dir),
        interfaces=_interfaces(env),
        database=database_settings(env.get("DATABASE_URL", ""), data_dir),
        allowed_hosts=_allowed_hosts(env, production),
        debug=debug,
        https=_flag(env, "SAFELIGHT_HTTPS", default=production),
        quick_exit_url=env.get("SAFELIGHT_QUICK_EXIT_URL") or "https://www.wikipedia.org/",
        log_level=_choice(
            env, "SAFELIGHT_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO"
        ),
        cache=cache_settings(env.get("SAFELIGHT_CACHE_URL", ""), data_dir),
        tasks=tasks,
        rq_queues=rq_queues,
        email=email,
        email_from=_email_from(env),
        staff_url=_staff_url(env, production, email),
    )


def task_settings(url: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """TASKS (and RQ_QUEUES): the database backend by default, so one host needs nothing more;
    Redis with django-tasks-rq workers when SAFELIGHT_TASKS_URL names a Redis server."""
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(
                "SAFELIGHT_TASKS_URL must be a Redis address, e.g. redis://127.0.0.1:6379/1, "
                "or unset to keep background tasks in the database."
            )
        tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        # A job that runs longer than this is stopped; a reminder run over 100,000 cases
        # takes seconds.
        return tasks, {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
    return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}, None


def email_settings(url: str, production: bool, data_dir: Path) -> EmailConfig:
    """How notification emails leave: SMTP from SAFELIGHT_EMAIL_URL; unset, files under
    data_dir/mail in demo mode, and nowhere (a logged warning per mail dropped) in production.

    smtp://user:password@host:port?tls=true  STARTTLS (port 587 by default)
    smtp://user:password@host:port?ssl=true  TLS from the start (port 465 by default)
    smtp://host:port                         no encryption: production allows it only to a
                                             relay on the same machine (localhost)
    file:///path/to/directory                one file per batch of mails, for trying things out
    """
    if not url:
        if production:
            return EmailConfig(backend=UNCONFIGURED_EMAIL_BACKEND)
        return EmailConfig(
            backend="django.core.mail.backends.filebased.EmailBackend",
            file_path=str(data_dir / "mail"),
        )
    parts = urlsplit(url)
    if parts.scheme == "file":
        if not parts.path.startswith("/") or parts.netloc:
            raise ConfigurationError(
                "SAFELIGHT_EMAIL_URL=file://... needs an absolute directory, e.g. "
                "file:///var/lib/safelight/mail."
            )
        return EmailConfig(
            backend="django.core.mail.backends.filebased.EmailBackend",
            file_path=unquote(parts.path),
        )
    if parts.scheme != "smtp" or not parts.hostname:
        raise ConfigurationError(
            "SAFELIGHT_EMAIL_URL must look like smtp://user:password@mail.example.org:587?tls=true "
            "(or ?ssl=true), or file:///path/to/directory."
        )
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(options) - {"tls", "ssl"}
    if unknown:
        raise ConfigurationError(
            f"SAFELIGHT_EMAIL_URL has unknown options ({', '.join(sorted(unknown))}): "
            "use tls=true or ssl=true."
        )
    use_tls = _url_flag(options, "tls")
    use_ssl = _url_flag(options, "ssl")
    if use_tls and use_ssl:
        raise ConfigurationError(
            "SAFELIGHT_EMAIL_URL asks for both tls and ssl: use tls=true for STARTTLS "
            "(usually port 587) or ssl=true for TLS from the start (usually port 465)."
        )
    if production and not (use_tls or use_ssl) and parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigurationError(
            "SAFELIGHT_EMAIL_URL would send mail and its password unencrypted to "
            f"{parts.hostname}: add ?tls=true (STARTTLS) or ?ssl=true, or relay through a mail "
            "server on localhost."
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError("SAFELIGHT_EMAIL_URL has a port that is not a number.") from None
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname,
        port=port or (465 if use_ssl else 587 if use_tls else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def _url_flag(options: Mapping[str, str], name: str) -> bool:
    try:
        return _flag(options, name, default=False)
    except ConfigurationError:
        raise ConfigurationError(
            f"SAFELIGHT_EMAIL_URL has {name}={options[name]!r}: use {name}=true or {name}=false."
        ) from None


def _email_from(env: Mapping[str, str]) -> str:
    value = env.get("SAFELIGHT_EMAIL_FROM", "").strip() or "Safelight <safelight@localhost>"
    _name, address = parseaddr(value)
    if "@" not in address or any(c.isspace() for c in address):
        raise ConfigurationError(
            f"SAFELIGHT_EMAIL_FROM={value!r} is not an email address: use e.g. "
            "safelight@example.org or 'Safelight <safelight@example.org>'."
        )
    return value


def _staff_url(env: Mapping[str, str], production: bool, email: EmailConfig) -> str:
    """The address handlers open the staff side at: the one link notification emails carry."""
    value = env.get("SAFELIGHT_STAFF_URL", "").strip().rstrip("/")
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ConfigurationError(
                f"SAFELIGHT_STAFF_URL={value!r} is not valid: use the address handlers open the "
                "staff side at, e.g. https://staff.example.org."
            )
        return value
    if production and email.backend != UNCONFIGURED_EMAIL_BACKEND:
        raise ConfigurationError(
            "SAFELIGHT_STAFF_URL is not set. Notification emails link to the staff side: set it "
            "to the address handlers sign in at, e.g. https://staff.example.org."
        )
    return "http://127.0.0.1:8000"


def cache_settings(url: str, data_dir: Path) -> dict[str, Any]:
    """Where rate-limit counters live: Redis (SAFELIGHT_CACHE_URL=redis://...) when several
    servers share the load, else files under the data directory, shared by one host's workers."""
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(
                "SAFELIGHT_CACHE_URL must be a Redis address, e.g. redis://127.0.0.1:6379/0."
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(data_dir / "cache"),
    }


def database_settings(url: str, data_dir: Path) -> dict[str, Any]:
    """PostgreSQL (or any engine) from DATABASE_URL; otherwise SQLite in WAL mode under data_dir."""
    if url:
        import dj_database_url

        try:
            return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError as exc:
            raise ConfigurationError(f"DATABASE_URL cannot be used: {exc}") from exc
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "safelight.sqlite3",
        "OPTIONS": {
            # WAL lets readers and one writer work at once; NORMAL is durable under WAL.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            # Take the write lock at BEGIN so concurrent writers wait (busy timeout) rather
            # than fail with "database is locked" halfway through a transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def _secret_key(env: Mapping[str, str], production: bool, data_dir: Path) -> str:
    value = env.get("SAFELIGHT_SECRET_KEY", "")
    if value:
        if len(value) < SECRET_KEY_MIN_LENGTH:
            raise ConfigurationError(
                f"SAFELIGHT_SECRET_KEY is too short: use at least {SECRET_KEY_MIN_LENGTH} "
                "random characters (python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        return value
    if production:
        raise ConfigurationError(
            "SAFELIGHT_SECRET_KEY is not set. Production mode needs it: set SAFELIGHT_SECRET_KEY "
            "to a long random value "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            "or set SAFELIGHT_MODE=demo to try Safelight with generated secrets."
        )
    return _persisted_secret(data_dir, "secret_key", lambda: secrets.token_urlsafe(48))


def _receipt_pepper(env: Mapping[str, str], production: bool, data_dir: Path) -> bytes:
    value = env.get("SAFELIGHT_RECEIPT_PEPPER", "")
    if not value:
        if production:
            raise ConfigurationError(
                "SAFELIGHT_RECEIPT_PEPPER is not set. Production mode needs it: set "
                "SAFELIGHT_RECEIPT_PEPPER to 64 hexadecimal characters "
                "(python3 -c 'import secrets; print(secrets.token_hex(32))') and keep a copy "
                "offline: without it no reporter can use their receipt again."
            )
        value = _persisted_secret(data_dir, "receipt_pepper", lambda: secrets.token_hex(32))
    try:
        pepper = bytes.fromhex(value)
    except ValueError:
        pepper = b""
    if not PEPPER_MIN_BYTES <= len(pepper) <= PEPPER_MAX_BYTES:
        raise ConfigurationError(
            f"SAFELIGHT_RECEIPT_PEPPER must be {PEPPER_MIN_BYTES * 2} to {PEPPER_MAX_BYTES * 2} "
            "hexadecimal characters (python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return pepper


def _persisted_secret(data_dir: Path, name: str, generate: Any) -> str:
    """Demo mode only: generate a secret once and keep it under data_dir/secrets (mode 0600)."""
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = generate()
    # O_EXCL: when two processes start at once, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def _interfaces(env: Mapping[str, str]) -> frozenset[str]:
    raw = env.get("SAFELIGHT_INTERFACES") or "reporter,staff"
    names = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = names - set(INTERFACES)
    if unknown or not names:
        raise ConfigurationError(
            f"SAFELIGHT_INTERFACES={raw!r} is not valid: use 'reporter', 'staff' or "
            "'reporter,staff'."
        )
    return frozenset(names)


def _allowed_hosts(env: Mapping[str, str], production: bool) -> list[str]:
    raw = env.get("SAFELIGHT_ALLOWED_HOSTS", "")
    hosts = [host.strip() for host in raw.split(",") if host.strip()]
    if hosts:
        return hosts
    if production:
        raise ConfigurationError(
            "SAFELIGHT_ALLOWED_HOSTS is not set. Production mode needs the host names this "
            "server answers to, comma-separated (for example reports.example.org)."
        )
    return ["127.0.0.1", "localhost", "[::1]"]


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name}={raw!r} is not valid: use true or false.")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], *, default: str) -> str:
    raw = env.get(name, "").strip() or default
    value = raw.upper() if choices[0].isupper() else raw.lower()
    if value not in choices:
        raise ConfigurationError(f"{name}={raw!r} is not valid: use one of {', '.join(choices)}.")
    return value
