"""Configuration from the environment: production refuses to start without its secrets."""

import stat
from pathlib import Path

import pytest

from safelight import config
from safelight.config import ConfigurationError

PRODUCTION = {
    "SAFELIGHT_MODE": "production",
    "SAFELIGHT_SECRET_KEY": "k" * 60,
    "SAFELIGHT_RECEIPT_PEPPER": "ab" * 32,
    "SAFELIGHT_EVIDENCE_SIGNING_KEY": "ef" * 32,
    "SAFELIGHT_ALLOWED_HOSTS": "reports.example.org",
}


def test_it_starts_in_production_with_every_secret_from_the_environment(tmp_path):
    cfg = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.production
    assert cfg.secret_key == "k" * 60
    assert cfg.receipt_pepper == bytes.fromhex("ab" * 32)
    assert cfg.allowed_hosts == ["reports.example.org"]
    assert cfg.https is True
    assert cfg.debug is False
    assert not (tmp_path / "secrets").exists()


def test_it_defaults_to_production_mode(tmp_path):
    with pytest.raises(ConfigurationError, match="SAFELIGHT_SECRET_KEY"):
        config.load({"SAFELIGHT_DATA_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    "missing", ["SAFELIGHT_SECRET_KEY", "SAFELIGHT_RECEIPT_PEPPER", "SAFELIGHT_ALLOWED_HOSTS",
                "SAFELIGHT_EVIDENCE_SIGNING_KEY"]
)
def test_it_refuses_production_without_a_setting_and_names_it(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigurationError) as excinfo:
        config.load({**env, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert f"{missing} is not set" in str(excinfo.value)
    assert not (tmp_path / "secrets").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SAFELIGHT_SECRET_KEY", "short", "too short"),
        ("SAFELIGHT_RECEIPT_PEPPER", "ab" * 8, "64 to 128 hexadecimal"),
        ("SAFELIGHT_RECEIPT_PEPPER", "ab" * 65, "64 to 128 hexadecimal"),
        (
            "SAFELIGHT_RECEIPT_PEPPER",
            "not hex at all, but long enough to pass a length check!!",
            "hexadecimal",
        ),
        ("SAFELIGHT_EVIDENCE_SIGNING_KEY", "ab" * 31, "64 hexadecimal"),
        ("SAFELIGHT_EVIDENCE_SIGNING_KEY", "zz" * 32, "64 hexadecimal"),
        ("SAFELIGHT_DEBUG", "true", "Debug pages show what people typed"),
        ("SAFELIGHT_DEBUG", "maybe", "use true or false"),
        ("SAFELIGHT_INTERFACES", "reporter,public", "SAFELIGHT_INTERFACES"),
        ("SAFELIGHT_MODE", "staging", "SAFELIGHT_MODE"),
        ("SAFELIGHT_LOG_LEVEL", "loud", "SAFELIGHT_LOG_LEVEL"),
        ("DATABASE_URL", "nosuchdb://x/y", "DATABASE_URL"),
    ],
)
def test_it_rejects_a_bad_value_with_a_message_that_says_what_to_do(name, value, message, tmp_path):
    with pytest.raises(ConfigurationError, match=message):
        config.load({**PRODUCTION, name: value, "SAFELIGHT_DATA_DIR": str(tmp_path)})


def test_it_generates_demo_secrets_once_and_keeps_them_private(tmp_path):
    env = {"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path)}
    first = config.load(env)
    second = config.load(env)
    assert first.secret_key == second.secret_key
    assert first.receipt_pepper == second.receipt_pepper
    assert len(first.receipt_pepper) == 32
    assert len(first.secret_key) >= config.SECRET_KEY_MIN_LENGTH
    for name in ("secret_key", "receipt_pepper"):
        mode = stat.S_IMODE((tmp_path / "secrets" / name).stat().st_mode)
        assert mode == 0o600
    assert stat.S_IMODE((tmp_path / "secrets").stat().st_mode) == 0o700
    assert first.allowed_hosts == ["127.0.0.1", "localhost", "[::1]"]
    assert first.https is False


def test_it_gives_demo_instances_different_secrets(tmp_path):
    a = config.load({"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path / "a")})
    b = config.load({"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path / "b")})
    assert a.secret_key != b.secret_key
    assert a.receipt_pepper != b.receipt_pepper


def test_it_prefers_secrets_from_the_environment_in_demo_mode(tmp_path):
    cfg = config.load({**PRODUCTION, "SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.secret_key == "k" * 60
    assert not (tmp_path / "secrets" / "secret_key").exists()
    assert not (tmp_path / "secrets" / "receipt_pepper").exists()


def test_it_uses_sqlite_in_wal_mode_with_a_busy_timeout_by_default(tmp_path):
    db = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)}).database
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == tmp_path / "safelight.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0


def test_it_selects_postgresql_from_database_url(tmp_path):
    url = "postgres://safelight:pw@db.internal:5432/safelight"
    db = config.load(
        {**PRODUCTION, "DATABASE_URL": url, "SAFELIGHT_DATA_DIR": str(tmp_path)}
    ).database
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5432,
        "safelight",
        "safelight",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", {"reporter", "staff"}),
        ("reporter", {"reporter"}),
        ("staff", {"staff"}),
        (" Staff , reporter ", {"reporter", "staff"}),
    ],
)
def test_it_reads_the_interfaces_to_serve(raw, expected, tmp_path):
    cfg = config.load(
        {**PRODUCTION, "SAFELIGHT_INTERFACES": raw, "SAFELIGHT_DATA_DIR": str(tmp_path)}
    )
    assert cfg.interfaces == expected


def test_it_keeps_background_tasks_in_the_database_by_default(tmp_path):
    cfg = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.tasks == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert cfg.rq_queues is None


def test_it_runs_background_tasks_on_redis_from_safelight_tasks_url(tmp_path):
    url = "redis://queue.internal:6379/2"
    cfg = config.load(
        {**PRODUCTION, "SAFELIGHT_TASKS_URL": url, "SAFELIGHT_DATA_DIR": str(tmp_path)}
    )
    assert cfg.tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert cfg.rq_queues["default"]["URL"] == url
    assert cfg.tasks["default"]["QUEUES"] == list(cfg.rq_queues)


MAILING = {**PRODUCTION, "SAFELIGHT_STAFF_URL": "https://staff.example.org"}


def email(tmp_path, url, **env):
    return config.load(
        {**MAILING, "SAFELIGHT_EMAIL_URL": url, "SAFELIGHT_DATA_DIR": str(tmp_path), **env}
    ).email


def test_it_reads_an_smtp_server_with_starttls_from_safelight_email_url(tmp_path):
    cfg = email(tmp_path, "smtp://safelight%40example.org:p%40ss%2Fword@mail.example.org?tls=true")
    assert cfg.backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (cfg.host, cfg.port, cfg.user, cfg.password) == (
        "mail.example.org", 587, "safelight@example.org", "p@ss/word",
    )
    assert (cfg.use_tls, cfg.use_ssl) == (True, False)


def test_it_reads_an_smtp_server_with_tls_from_the_start(tmp_path):
    cfg = email(tmp_path, "smtp://u:p@mail.example.org:2465?ssl=true")
    assert (cfg.port, cfg.use_tls, cfg.use_ssl) == (2465, False, True)
    assert email(tmp_path, "smtp://u:p@mail.example.org?ssl=1").port == 465


def test_it_allows_plain_smtp_in_production_only_to_a_local_relay(tmp_path):
    cfg = email(tmp_path, "smtp://localhost")
    assert (cfg.host, cfg.port, cfg.use_tls, cfg.use_ssl) == ("localhost", 25, False, False)
    with pytest.raises(ConfigurationError, match=r"unencrypted to mail\.example\.org"):
        email(tmp_path, "smtp://u:p@mail.example.org:25")
    demo = email(tmp_path, "smtp://mail.example.org:1025", SAFELIGHT_MODE="demo")
    assert demo.port == 1025


def test_it_can_write_mail_to_a_directory(tmp_path):
    cfg = email(tmp_path, "file:///var/lib/safelight/mail")
    assert cfg.backend == "django.core.mail.backends.filebased.EmailBackend"
    assert cfg.file_path == "/var/lib/safelight/mail"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("smtp://u:p@mail.example.org?tls=true&ssl=true", "both tls and ssl"),
        ("smtp://u:p@mail.example.org?tls=maybe", "tls=true or tls=false"),
        ("smtp://u:p@mail.example.org?starttls=yes", "unknown options"),
        ("smtp://u:p@mail.example.org:port?tls=true", "port"),
        ("mailto:safelight@example.org", "smtp://"),
        ("smtp://", "smtp://"),
        ("file://relative/mail", "absolute directory"),
    ],
)
def test_it_rejects_a_bad_email_url_with_a_message_that_says_what_to_do(url, message, tmp_path):
    with pytest.raises(ConfigurationError, match=message):
        email(tmp_path, url)


def test_it_drops_mail_in_production_without_an_email_url_and_writes_files_in_demo(tmp_path):
    production = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert production.email.backend == "safelight.notifications.UnconfiguredEmailBackend"
    demo = config.load({"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert demo.email.backend == "django.core.mail.backends.filebased.EmailBackend"
    assert demo.email.file_path == str(tmp_path / "mail")
    assert demo.staff_url == "http://127.0.0.1:8000"
    assert demo.email_from == "Safelight <safelight@localhost>"


def test_it_needs_the_staff_address_in_production_when_it_sends_mail(tmp_path):
    env = {
        **PRODUCTION, "SAFELIGHT_EMAIL_URL": "smtp://localhost", "SAFELIGHT_DATA_DIR": str(tmp_path)
    }
    with pytest.raises(ConfigurationError, match="SAFELIGHT_STAFF_URL is not set"):
        config.load(env)
    cfg = config.load({**env, "SAFELIGHT_STAFF_URL": "https://staff.example.org/"})
    assert cfg.staff_url == "https://staff.example.org"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SAFELIGHT_TASKS_URL", "amqp://queue.internal", "SAFELIGHT_TASKS_URL must be a Redis"),
        ("SAFELIGHT_STAFF_URL", "staff.example.org", "SAFELIGHT_STAFF_URL"),
        ("SAFELIGHT_STAFF_URL", "https://staff.example.org/?next=x", "SAFELIGHT_STAFF_URL"),
        ("SAFELIGHT_EMAIL_FROM", "Safelight", "SAFELIGHT_EMAIL_FROM"),
        ("SAFELIGHT_EMAIL_FROM", "safe light@example.org", "SAFELIGHT_EMAIL_FROM"),
    ],
)
def test_it_rejects_bad_task_and_mail_settings(name, value, message, tmp_path):
    with pytest.raises(ConfigurationError, match=message):
        config.load({**MAILING, name: value, "SAFELIGHT_DATA_DIR": str(tmp_path)})


def test_it_takes_the_sender_from_safelight_email_from(tmp_path):
    cfg = config.load(
        {
            **MAILING,
            "SAFELIGHT_EMAIL_FROM": "Northwind Safelight <safelight@northwind.example>",
            "SAFELIGHT_DATA_DIR": str(tmp_path),
        }
    )
    assert cfg.email_from == "Northwind Safelight <safelight@northwind.example>"


# The matching escrow's key services (docs/escrow-key-services.md).

SHARE = "01" * 32  # the scalar 1 + 256 + ...: canonical and non-zero
KEY_SERVICE = {
    **PRODUCTION,
    "SAFELIGHT_INTERFACES": "keyservice",
    "SAFELIGHT_KEY_SHARE": SHARE,
    "SAFELIGHT_KEY_SERVICE_TOKEN": "s" * 40,
    "SAFELIGHT_CACHE_URL": "redis://127.0.0.1:6379/0",
}
TWO_SERVICES = {
    "SAFELIGHT_KEY_SERVICE_1_URL": "https://keys-1.example.org/keyservice/evaluate",
    "SAFELIGHT_KEY_SERVICE_1_TOKEN": "a" * 40,
    "SAFELIGHT_KEY_SERVICE_2_URL": "https://keys-2.example.net/keyservice/evaluate",
    "SAFELIGHT_KEY_SERVICE_2_TOKEN": "b" * 40,
}


def test_it_leaves_the_escrow_off_in_production_without_key_services(tmp_path):
    cfg = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.key_services == []
    assert cfg.key_share is None
    assert (cfg.key_service_session_limit, cfg.key_service_daily_limit) == (12, 1000)
    assert not (tmp_path / "secrets").exists()


def test_it_reads_two_http_key_services(tmp_path):
    cfg = config.load({**PRODUCTION, **TWO_SERVICES, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.key_services == [
        {
            "NAME": "key-service-1",
            "BACKEND": "http",
            "URL": "https://keys-1.example.org/keyservice/evaluate",
            "TOKEN": "a" * 40,
        },
        {
            "NAME": "key-service-2",
            "BACKEND": "http",
            "URL": "https://keys-2.example.net/keyservice/evaluate",
            "TOKEN": "b" * 40,
        },
    ]


@pytest.mark.parametrize("mode", ["production", "demo"])
@pytest.mark.parametrize("missing", ["1", "2"])
def test_it_refuses_a_single_key_service_and_says_why_two_are_needed(mode, missing, tmp_path):
    env = {k: v for k, v in TWO_SERVICES.items() if f"_{missing}_" not in k}
    with pytest.raises(ConfigurationError, match="needs two") as excinfo:
        config.load(
            {**PRODUCTION, **env, "SAFELIGHT_MODE": mode, "SAFELIGHT_DATA_DIR": str(tmp_path)}
        )
    assert f"SAFELIGHT_KEY_SERVICE_{missing}_URL" in str(excinfo.value)
    assert "no single host" in str(excinfo.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SAFELIGHT_KEY_SERVICE_2_URL": ""}, "SAFELIGHT_KEY_SERVICE_2_URL is not set"),
        ({"SAFELIGHT_KEY_SERVICE_1_TOKEN": ""}, "SAFELIGHT_KEY_SERVICE_1_TOKEN is not set"),
        ({"SAFELIGHT_KEY_SERVICE_2_TOKEN": "short"}, "SAFELIGHT_KEY_SERVICE_2_TOKEN is too short"),
        ({"SAFELIGHT_KEY_SERVICE_1_URL": "keys-1.example.org"}, "SAFELIGHT_KEY_SERVICE_1_URL"),
        ({"SAFELIGHT_KEY_SERVICE_1_URL": "ftp://keys-1.example.org/"}, "evaluation address"),
        (
            {"SAFELIGHT_KEY_SERVICE_1_URL": "https://u:p@keys-1.example.org/keyservice/evaluate"},
            "evaluation address",
        ),
        (
            {"SAFELIGHT_KEY_SERVICE_2_URL": "http://keys-2.example.net/keyservice/evaluate"},
            "unencrypted to keys-2.example.net",
        ),
        (
            {"SAFELIGHT_KEY_SERVICE_2_URL": "https://keys-1.example.org/keyservice/evaluate"},
            "the same address",
        ),
        ({"SAFELIGHT_KEY_SHARE": SHARE}, "not a key service"),
        ({"SAFELIGHT_KEY_SERVICE_SESSION_LIMIT": "0"}, "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT"),
        ({"SAFELIGHT_KEY_SERVICE_DAILY_LIMIT": "lots"}, "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT"),
        ({"SAFELIGHT_KEY_SERVICE_DAILY_LIMIT": "-5"}, "whole number, 1 or more"),
    ],
)
def test_it_rejects_bad_key_service_settings_with_a_message_that_says_what_to_do(
    changes, message, tmp_path
):
    with pytest.raises(ConfigurationError, match=message):
        config.load(
            {**PRODUCTION, **TWO_SERVICES, **changes, "SAFELIGHT_DATA_DIR": str(tmp_path)}
        )


def test_it_allows_plain_http_to_a_key_service_only_on_loopback_or_in_demo(tmp_path):
    url = "http://127.0.0.1:8001/keyservice/evaluate"
    cfg = config.load(
        {
            **PRODUCTION,
            **TWO_SERVICES,
            "SAFELIGHT_KEY_SERVICE_1_URL": url,
            "SAFELIGHT_DATA_DIR": str(tmp_path),
        }
    )
    assert cfg.key_services[0]["URL"] == url
    demo = config.load(
        {
            **TWO_SERVICES,
            "SAFELIGHT_MODE": "demo",
            "SAFELIGHT_KEY_SERVICE_2_URL": "http://keys-2.lan:8000/keyservice/evaluate",
            "SAFELIGHT_DATA_DIR": str(tmp_path),
        }
    )
    assert [entry["BACKEND"] for entry in demo.key_services] == ["http", "http"]
    assert not (tmp_path / "secrets" / "escrow_key_share_1").exists()


def test_it_reads_the_key_service_limits(tmp_path):
    cfg = config.load(
        {
            **PRODUCTION,
            "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT": "5",
            "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT": " 200 ",
            "SAFELIGHT_DATA_DIR": str(tmp_path),
        }
    )
    assert (cfg.key_service_session_limit, cfg.key_service_daily_limit) == (5, 200)


def test_it_gives_the_demo_two_local_key_services_with_persisted_shares_only(tmp_path):
    from safelight.crypto import oprf

    env = {"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path)}
    first = config.load(env).key_services
    assert [(e["NAME"], e["BACKEND"]) for e in first] == [
        ("key-service-1", "local"),
        ("key-service-2", "local"),
    ]
    assert config.load(env).key_services == first  # generated once, then read back
    k1, k2 = first[0]["SHARE"], first[1]["SHARE"]
    assert k1 != k2
    for n, share in ((1, k1), (2, k2)):
        path = tmp_path / "secrets" / f"escrow_key_share_{n}"
        assert path.read_text().strip() == share.hex()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Only the shares are kept: no file holds the key they add up to.
    sk = (int.from_bytes(k1, "little") + int.from_bytes(k2, "little")) % oprf.ORDER
    kept = {path.name: path.read_text().strip() for path in (tmp_path / "secrets").iterdir()}
    assert set(kept) == {"secret_key", "receipt_pepper", "escrow_key_share_1",
                         "escrow_key_share_2", "evidence_signing_key"}
    assert sk.to_bytes(32, "little").hex() not in kept.values()
    other = config.load({**env, "SAFELIGHT_DATA_DIR": str(tmp_path / "other")}).key_services
    assert other[0]["SHARE"] != k1


def test_it_refuses_a_demo_share_file_that_is_not_a_share(tmp_path):
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    (secrets_dir / "escrow_key_share_2").write_text("00" * 32 + "\n")
    with pytest.raises(ConfigurationError, match="escrow_key_share_2 is not a key share"):
        config.load({"SAFELIGHT_MODE": "demo", "SAFELIGHT_DATA_DIR": str(tmp_path)})


def test_it_runs_a_key_service_with_its_share_and_token_and_no_pepper(tmp_path):
    env = {k: v for k, v in KEY_SERVICE.items() if k != "SAFELIGHT_RECEIPT_PEPPER"}
    cfg = config.load({**env, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.interfaces == {"keyservice"}
    assert cfg.key_share == bytes.fromhex(SHARE)
    assert cfg.key_service_token == "s" * 40
    assert cfg.key_services == []  # a key service asks no key service
    assert not (tmp_path / "secrets").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SAFELIGHT_KEY_SHARE": ""}, "SAFELIGHT_KEY_SHARE is not set"),
        ({"SAFELIGHT_KEY_SHARE": "ab" * 31}, "SAFELIGHT_KEY_SHARE is not a key share"),
        ({"SAFELIGHT_KEY_SHARE": "00" * 32}, "SAFELIGHT_KEY_SHARE is not a key share"),
        ({"SAFELIGHT_KEY_SHARE": "ff" * 32}, "SAFELIGHT_KEY_SHARE is not a key share"),
        ({"SAFELIGHT_KEY_SHARE": "zz" * 32}, "escrow_keygen"),
        ({"SAFELIGHT_KEY_SERVICE_TOKEN": ""}, "SAFELIGHT_KEY_SERVICE_TOKEN is not set"),
        ({"SAFELIGHT_KEY_SERVICE_TOKEN": "short"}, "SAFELIGHT_KEY_SERVICE_TOKEN is too short"),
        ({"SAFELIGHT_INTERFACES": "keyservice,reporter"}, "must run apart"),
        ({"SAFELIGHT_SECRET_KEY": ""}, "SAFELIGHT_SECRET_KEY is not set"),
        ({"SAFELIGHT_ALLOWED_HOSTS": ""}, "SAFELIGHT_ALLOWED_HOSTS is not set"),
    ],
)
def test_it_refuses_a_key_service_without_what_it_needs(changes, message, tmp_path):
    with pytest.raises(ConfigurationError, match=message):
        config.load({**KEY_SERVICE, **changes, "SAFELIGHT_DATA_DIR": str(tmp_path)})


def test_it_refuses_a_production_key_service_that_would_count_in_files():
    env = {k: v for k, v in KEY_SERVICE.items() if k != "SAFELIGHT_CACHE_URL"}
    with pytest.raises(ConfigurationError, match="SAFELIGHT_CACHE_URL"):
        config.load(env)


def test_the_file_cache_keeps_enough_counters_for_a_busy_day(tmp_path):
    settings = config.cache_settings("", tmp_path)
    assert settings["OPTIONS"]["MAX_ENTRIES"] >= 10_000


def test_it_trusts_a_proxy_on_this_host_by_default():
    assert config.trusted_proxies({}) == ("127.0.0.1", "::1")
    assert config.trusted_proxies({"SAFELIGHT_TRUSTED_PROXIES": ""}) == ()
    assert config.trusted_proxies({"SAFELIGHT_TRUSTED_PROXIES": " 10.0.0.2, ::1 "}) == (
        "10.0.0.2", "::1")


def test_it_refuses_a_trusted_proxy_that_is_not_an_address():
    with pytest.raises(ConfigurationError, match="SAFELIGHT_TRUSTED_PROXIES"):
        config.trusted_proxies({"SAFELIGHT_TRUSTED_PROXIES": "proxy.example.org"})


# Issue 20, item 14: production refuses plain HTTP and any host unless the risk is named.


@pytest.mark.parametrize(
    ("changes", "variable", "risk"),
    [
        ({"SAFELIGHT_HTTPS": "0"}, "SAFELIGHT_HTTPS", "plain-http"),
        ({"SAFELIGHT_ALLOWED_HOSTS": "*"}, "SAFELIGHT_ALLOWED_HOSTS", "any-host"),
        ({"SAFELIGHT_ALLOWED_HOSTS": "reports.example.org,*"}, "SAFELIGHT_ALLOWED_HOSTS",
         "any-host"),
    ],
)
def test_it_refuses_a_risky_production_setting_unless_the_risk_is_named(
    changes, variable, risk, tmp_path
):
    env = {**PRODUCTION, **changes, "SAFELIGHT_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigurationError) as excinfo:
        config.load(env)
    assert variable in str(excinfo.value)
    assert f"SAFELIGHT_ACCEPT_RISKS={risk}" in str(excinfo.value)
    cfg = config.load({**env, "SAFELIGHT_ACCEPT_RISKS": risk})
    assert cfg.production


def test_it_allows_plain_http_in_demo_mode_without_naming_a_risk(tmp_path):
    cfg = config.load({"SAFELIGHT_MODE": "demo", "SAFELIGHT_HTTPS": "0",
                       "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.https is False


def test_it_refuses_a_risk_name_it_does_not_know(tmp_path):
    with pytest.raises(ConfigurationError, match="plain-http"):
        config.load({**PRODUCTION, "SAFELIGHT_ACCEPT_RISKS": "everything",
                     "SAFELIGHT_DATA_DIR": str(tmp_path)})


def test_it_reads_the_locker_quota(tmp_path):
    cfg = config.load({**PRODUCTION, "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.locker_quota_bytes == config.LOCKER_QUOTA_MB * 1024 * 1024
    cfg = config.load({**PRODUCTION, "SAFELIGHT_LOCKER_QUOTA_MB": "64",
                       "SAFELIGHT_DATA_DIR": str(tmp_path)})
    assert cfg.locker_quota_bytes == 64 * 1024 * 1024
