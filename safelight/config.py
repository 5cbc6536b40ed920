"""Reading Safelight's configuration from environment variables.

settings.py calls `load()` once; everything here is a plain function of a mapping so that tests can
check every rule without re-importing Django settings. docs/configuration.md documents each one.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from safelight.crypto import oprf

MODES = ("production", "demo")
INTERFACES = ("reporter", "staff", "keyservice")
SECRET_KEY_MIN_LENGTH = 50
PEPPER_MIN_BYTES = 32
PEPPER_MAX_BYTES = 64  # it keys BLAKE2b (safelight.crypto.receipts), which takes at most 64 bytes
# The matching escrow's key services (docs/escrow-key-services.md).
KEY_SERVICE_TOKEN_MIN_LENGTH = 32
KEY_SERVICE_SESSION_LIMIT = 12  # evaluations per reporter session per day, at each key service
KEY_SERVICE_DAILY_LIMIT = 1000  # evaluations per day in total, at each key service
# The evidence locker's storage (docs/security.md, "Limits"): what one locker may hold in all.
LOCKER_QUOTA_MB = 512
# Risks production refuses unless SAFELIGHT_ACCEPT_RISKS names them (docs/configuration.md).
RISKS = {
    "plain-http": "SAFELIGHT_HTTPS=0",
    "any-host": "SAFELIGHT_ALLOWED_HOSTS=*",
}


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
    # The app side of the matching escrow: the two key services it asks, as dicts for
    # settings.SAFELIGHT_KEY_SERVICES (safelight.escrow.keyservices); empty: escrow is off.
    key_services: list[dict[str, Any]]
    # The key service side (SAFELIGHT_INTERFACES=keyservice): its share and bearer token.
    key_share: bytes | None
    key_service_token: str
    key_service_session_limit: int
    key_service_daily_limit: int
    # Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (a TLS proxy in front).
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    # The evidence locker's custody log: the 32-byte Ed25519 seed that signs every tree head and
    # bundle manifest (None only where no reporter side is served), and the severity scorer.
    evidence_signing_key: bytes | None = None
    severity_scorer: str = "default"
    # The most one evidence locker may hold, in bytes (files and imported messages together).
    locker_quota_bytes: int = LOCKER_QUOTA_MB * 1024 * 1024

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
    interfaces = _interfaces(env)
    key_service_only = interfaces == {"keyservice"}
    key_share, key_service_token = _key_service_side(env, key_service_only)
    if key_service_only and production and not env.get("SAFELIGHT_CACHE_URL"):
        raise ConfigurationError(
            "A key service in production needs SAFELIGHT_CACHE_URL (Redis, e.g. "
            "redis://127.0.0.1:6379/0): its rate limits are what stop anyone guessing who was "
            "named, and only Redis counts exactly across several workers and days."
        )
    cfg = Config(
        mode=mode,
        data_dir=data_dir,
        secret_key=_secret_key(env, production, data_dir),
        receipt_pepper=_receipt_pepper(env, production, data_dir, key_service_only),
        interfaces=interfaces,
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
        key_services=[] if key_service_only else key_services(env, production, data_dir),
        key_share=key_share,
        key_service_token=key_service_token,
        key_service_session_limit=_positive_int(
            env, "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT", default=KEY_SERVICE_SESSION_LIMIT
        ),
        key_service_daily_limit=_positive_int(
            env, "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT", default=KEY_SERVICE_DAILY_LIMIT
        ),
        trusted_proxies=trusted_proxies(env),
        evidence_signing_key=_evidence_signing_key(env, production, data_dir, interfaces),
        severity_scorer=env.get("SAFELIGHT_SEVERITY_SCORER", "").strip() or "default",
        locker_quota_bytes=_positive_int(
            env, "SAFELIGHT_LOCKER_QUOTA_MB", default=LOCKER_QUOTA_MB) * 1024 * 1024,
    )
    accepted = accepted_risks(env)
    if production and not cfg.https and "plain-http" not in accepted:
        raise ConfigurationError(
            "SAFELIGHT_HTTPS is off in production mode: receipts, passphrases and sign-ins would "
            "cross the network readable by anyone on the way, and cookies would not be marked "
            "secure. Serve Safelight behind TLS and unset SAFELIGHT_HTTPS; if TLS really ends "
            "elsewhere and you accept the risk, set SAFELIGHT_ACCEPT_RISKS=plain-http."
        )
    if production and "*" in cfg.allowed_hosts and "any-host" not in accepted:
        raise ConfigurationError(
            "SAFELIGHT_ALLOWED_HOSTS=* in production mode answers any Host header, so links "
            "built from it (password resets, notifications) could point elsewhere. List this "
            "server's host names; to accept the risk anyway, set SAFELIGHT_ACCEPT_RISKS=any-host."
        )
    return cfg


PRIVATE_UMASK = 0o077  # files 0600, directories 0700
_DATABASE_FILES = ("safelight.sqlite3", "safelight.sqlite3-wal", "safelight.sqlite3-shm")


def secure_data_dir(data_dir: Path, *, production: bool) -> None:
    """Keep the data directory to this account: the database holds password hashes, TOTP seeds
    and wrapped private keys, and files/ every upload (encrypted, but sized and dated).

    Everything the process creates from here on is 0600/0700 (umask). A data directory that
    others can read or enter is refused in production with the command that fixes it; in demo
    mode, whose directory Safelight made itself, it is tightened instead.
    """
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = data_dir.stat().st_mode & 0o777
    if mode & 0o077:
        if production:
            raise ConfigurationError(
                f"The data directory {data_dir} can be read by other accounts on this machine "
                f"(mode {mode:o}); it holds the database with password hashes, authenticator "
                f"seeds and wrapped keys. Run: chmod 700 {data_dir} (and make it owned by the "
                "account Safelight runs as), then start again."
            )
        data_dir.chmod(0o700)
    for name in _DATABASE_FILES:
        path = data_dir / name
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def accepted_risks(env: Mapping[str, str]) -> frozenset[str]:
    """SAFELIGHT_ACCEPT_RISKS: the risks an operator has chosen, by name, comma-separated."""
    names = {part.strip().lower() for part in env.get("SAFELIGHT_ACCEPT_RISKS", "").split(",")}
    names.discard("")
    unknown = names - set(RISKS)
    if unknown:
        raise ConfigurationError(
            f"SAFELIGHT_ACCEPT_RISKS names {', '.join(sorted(unknown))}, which is not a risk "
            f"Safelight knows: use {' or '.join(sorted(RISKS))}."
        )
    return frozenset(names)


def trusted_proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    """The addresses of the TLS proxies in front (default: one on this host). Only a request
    from one of them may say, in X-Forwarded-Proto, that the browser used HTTPS, and, in
    X-Forwarded-For, which address to count for rate limits (hashed, never stored)."""
    raw = env.get("SAFELIGHT_TRUSTED_PROXIES")
    if raw is None:
        return ("127.0.0.1", "::1")
    found = []
    for part in raw.split(","):
        if not part.strip():
            continue
        try:
            found.append(str(ipaddress.ip_address(part.strip())))
        except ValueError:
            raise ConfigurationError(
                f"SAFELIGHT_TRUSTED_PROXIES: {part.strip()!r} is not an IP address. List the "
                "addresses of the proxies in front of Safelight, comma-separated, or leave it "
                "empty to trust none."
            ) from None
    return tuple(found)


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


FILE_CACHE_MAX_ENTRIES = 20_000


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
        # Django's default (300 entries, then a random third deleted) would reset rate-limit
        # counters, the escrow key services' daily cap among them, once a day has more than a
        # few hundred sessions (bench.escrow found it). 20,000 is far above a day's counters on
        # one host (the key services stop at 1,000 a day) and keeps each write's directory
        # listing short; several servers use Redis.
        "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_MAX_ENTRIES},
    }


def database_settings(url: str, data_dir: Path) -> dict[str, Any]:
    """PostgreSQL (or any engine) from DATABASE_URL; otherwise SQLite in WAL mode under data_dir."""
    if url:
        import dj_database_url

        try:
            parsed: dict[str, Any] = {
                **dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
            return parsed
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


def _receipt_pepper(
    env: Mapping[str, str], production: bool, data_dir: Path, key_service_only: bool
) -> bytes:
    value = env.get("SAFELIGHT_RECEIPT_PEPPER", "")
    if not value and key_service_only:
        # A key service never sees a receipt: it needs no pepper, and keeps none.
        return secrets.token_bytes(PEPPER_MIN_BYTES)
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


def _evidence_signing_key(
    env: Mapping[str, str], production: bool, data_dir: Path, interfaces: frozenset[str]
) -> bytes | None:
    value = env.get("SAFELIGHT_EVIDENCE_SIGNING_KEY", "")
    if not value and "reporter" not in interfaces:
        return None  # no evidence locker is served here: nothing to sign
    if not value:
        if production:
            raise ConfigurationError(
                "SAFELIGHT_EVIDENCE_SIGNING_KEY is not set. Production mode needs it: set it to "
                "64 hexadecimal characters (python3 -c 'import secrets; print(secrets.token_hex("
                "32))'), keep a copy offline and publish its public key (safelight "
                "evidence_key): it signs every evidence locker's custody log."
            )
        value = _persisted_secret(
            data_dir, "evidence_signing_key", lambda: secrets.token_hex(32))
    try:
        seed = bytes.fromhex(value)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ConfigurationError(
            "SAFELIGHT_EVIDENCE_SIGNING_KEY must be 64 hexadecimal characters "
            "(python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return seed


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
            "'reporter,staff' (or 'keyservice' alone, for a key service of the matching escrow)."
        )
    if "keyservice" in names and len(names) > 1:
        raise ConfigurationError(
            f"SAFELIGHT_INTERFACES={raw!r} mixes a key service with the reporter or staff side. "
            "A key service holds one share of the matching escrow's key and must run apart from "
            "Safelight's other processes: set SAFELIGHT_INTERFACES=keyservice alone on its own "
            "host (docs/escrow-key-services.md)."
        )
    return frozenset(names)


def key_services(env: Mapping[str, str], production: bool, data_dir: Path) -> list[dict[str, Any]]:
    """The two key services the app asks for matching-escrow evaluations (settings entries
    SAFELIGHT_KEY_SERVICES, read by safelight.escrow.keyservices).

    SAFELIGHT_KEY_SERVICE_1_URL/_TOKEN and _2_URL/_TOKEN: two HTTP key services. None of them:
    in demo mode two local services whose shares are generated once under data_dir/secrets; in
    production the escrow is off (an empty list), which is not an error.
    """
    given = {
        n: (env.get(f"SAFELIGHT_KEY_SERVICE_{n}_URL", "").strip(),
            env.get(f"SAFELIGHT_KEY_SERVICE_{n}_TOKEN", "").strip())
        for n in (1, 2)
    }
    if not any(url or token for url, token in given.values()):
        if production:
            return []
        return [
            {"NAME": f"key-service-{n}", "BACKEND": "local", "SHARE": share}
            for n, share in enumerate(_demo_key_shares(data_dir), start=1)
        ]
    for n, (url, token) in given.items():
        if not url and not token:
            other = 2 if n == 1 else 1
            raise ConfigurationError(
                f"Only one key service is configured (SAFELIGHT_KEY_SERVICE_{other}_...). The "
                "matching escrow needs two, each holding one share of the key, so that no single "
                "host can compute matches or guess who was named: set "
                f"SAFELIGHT_KEY_SERVICE_{n}_URL and SAFELIGHT_KEY_SERVICE_{n}_TOKEN too, or "
                "unset both services to leave the escrow off (docs/escrow-key-services.md)."
            )
    services = []
    for n, (url, token) in given.items():
        services.append(
            {
                "NAME": f"key-service-{n}",
                "BACKEND": "http",
                "URL": _key_service_url(f"SAFELIGHT_KEY_SERVICE_{n}_URL", url, production),
                "TOKEN": _key_service_token(f"SAFELIGHT_KEY_SERVICE_{n}_TOKEN", token),
            }
        )
    if services[0]["URL"] == services[1]["URL"]:
        raise ConfigurationError(
            "SAFELIGHT_KEY_SERVICE_1_URL and SAFELIGHT_KEY_SERVICE_2_URL are the same address. "
            "The two key services must be two services, on separate hosts with separate "
            "administrators, or one of them could compute every match alone."
        )
    return services


def _key_service_url(name: str, value: str, production: bool) -> str:
    if not value:
        raise ConfigurationError(
            f"{name} is not set: use the key service's evaluation address, e.g. "
            "https://keys-1.example.org/keyservice/evaluate."
        )
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise ConfigurationError(
            f"{name}={value!r} is not valid: use the key service's evaluation address, e.g. "
            "https://keys-1.example.org/keyservice/evaluate."
        )
    if production and parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigurationError(
            f"{name} would send the key service's token unencrypted to {parts.hostname}: use an "
            "https:// address (or a tunnel on localhost)."
        )
    return value


def _key_service_token(name: str, value: str) -> str:
    if len(value) < KEY_SERVICE_TOKEN_MIN_LENGTH:
        raise ConfigurationError(
            f"{name} is {'not set' if not value else 'too short'}: use the token the key "
            f"service's administrator gave you, at least {KEY_SERVICE_TOKEN_MIN_LENGTH} random "
            "characters (python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    return value


def _key_service_side(env: Mapping[str, str], key_service_only: bool) -> tuple[bytes | None, str]:
    """SAFELIGHT_KEY_SHARE and SAFELIGHT_KEY_SERVICE_TOKEN: required by a key service, refused
    anywhere else (a share on the app host would undo the split)."""
    share = env.get("SAFELIGHT_KEY_SHARE", "").strip()
    token = env.get("SAFELIGHT_KEY_SERVICE_TOKEN", "").strip()
    if not key_service_only:
        if share:
            raise ConfigurationError(
                "SAFELIGHT_KEY_SHARE is set, but this process is not a key service. A share "
                "belongs only on its own key service's host (SAFELIGHT_INTERFACES=keyservice); "
                "remove it here (docs/escrow-key-services.md)."
            )
        return None, ""
    if not share:
        raise ConfigurationError(
            "SAFELIGHT_KEY_SHARE is not set. A key service (SAFELIGHT_INTERFACES=keyservice) "
            "needs its share of the escrow key: the 64 hexadecimal characters that "
            "`safelight escrow_keygen` printed for this service."
        )
    return (
        key_share("SAFELIGHT_KEY_SHARE", share),
        _key_service_token("SAFELIGHT_KEY_SERVICE_TOKEN", token),
    )


def key_share(name: str, value: str) -> bytes:
    """A share of the escrow's OPRF key: 32 bytes in hex, a canonical non-zero scalar."""
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    number = int.from_bytes(raw, "little")
    if len(raw) != 32 or not 0 < number < oprf.ORDER:
        raise ConfigurationError(
            f"{name} is not a key share: use the 64 hexadecimal characters that "
            "`safelight escrow_keygen` printed for this key service."
        )
    return raw


def _demo_key_shares(data_dir: Path) -> tuple[bytes, bytes]:
    """Demo mode: two shares of a key generated once; the key itself is never stored.

    Two processes starting at once may each keep one share of a different split. That does no
    harm: any two shares define a key (their sum), as random as the one that was split, and the
    files are not rewritten afterwards.
    """
    split: list[bytes] = []

    def share(index: int) -> str:
        if not split:
            split.extend(oprf.split_key(oprf.generate_key()))
        return split[index].hex()

    return (
        key_share("escrow_key_share_1", _persisted_secret(
            data_dir, "escrow_key_share_1", lambda: share(0))),
        key_share("escrow_key_share_2", _persisted_secret(
            data_dir, "escrow_key_share_2", lambda: share(1))),
    )


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


def _positive_int(env: Mapping[str, str], name: str, *, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(f"{name}={raw!r} is not valid: use a whole number, 1 or more.")
    return value


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
