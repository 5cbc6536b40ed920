"""No client address reaches a log, whichever logger or handler a record passes through."""

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import RequestFactory

from safelight import server
from safelight.logfilters import REDACTED, RemoveClientAddresses, remove_addresses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from 203.0.113.7", f"from {REDACTED}"),
        ("client 203.0.113.7:51234 closed", f"client {REDACTED}:51234 closed"),
        ("ended by 198.51.100.2.", f"ended by {REDACTED}."),
        ("peer [2001:db8::1]:443", f"peer [{REDACTED}]:443"),
        ("::1 asked", f"{REDACTED} asked"),
        ("fe80::1%eth0 up", f"{REDACTED} up"),
        ("mapped ::ffff:192.0.2.1 here", f"mapped {REDACTED} here"),
        ("2001:db8:85a3::8a2e:370:7334", REDACTED),
        ("at 12:30:45 on 2026-11-21", "at 12:30:45 on 2026-11-21"),
        ("version 1.2.3 and 1.2.3.4.5", "version 1.2.3 and 1.2.3.4.5"),
        ("999.1.1.1 is no address", "999.1.1.1 is no address"),
        ("a:b:c", "a:b:c"),
    ],
)
def test_it_removes_every_ip_address_and_nothing_else(text, expected):
    assert remove_addresses(text) == expected


def _capture(config_dict, logger_name, *args, **kwargs):
    stream = io.StringIO()
    config_dict = {
        **config_dict,
        "handlers": {
            name: {**handler, "stream": stream} for name, handler in config_dict["handlers"].items()
        },
    }
    logging.config.dictConfig(config_dict)
    try:
        logging.getLogger(logger_name).error(*args, **kwargs)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    return stream.getvalue()


def test_it_scrubs_django_request_logs_and_drops_the_request():
    request = RequestFactory().get("/x", REMOTE_ADDR="203.0.113.9")
    out = _capture(
        settings.LOGGING,
        "django.request",
        "Bad request from %s",
        "203.0.113.9",
        extra={"request": request, "status_code": 400},
    )
    assert "Bad request from" in out
    assert "203.0.113.9" not in out


def test_it_scrubs_addresses_in_tracebacks():
    try:
        raise ValueError("connection from 198.51.100.23 refused")
    except ValueError:
        out = _capture(settings.LOGGING, "safelight.any", "failed", exc_info=True)
    assert "ValueError" in out
    assert "198.51.100.23" not in out


def test_it_scrubs_gunicorn_error_logs():
    out = _capture(
        server.logging_config(), "gunicorn.error", "Invalid request from ip=%s", "192.0.2.44"
    )
    assert "Invalid request from ip=" in out
    assert "192.0.2.44" not in out


def test_it_lets_the_servers_own_bind_address_through(monkeypatch):
    from safelight import logfilters

    monkeypatch.setattr(logfilters, "_SERVER_BINDS", set())
    logfilters.keep_server_address("127.0.0.1:8000")
    logfilters.keep_server_address("[::1]:8001")
    logfilters.keep_server_address("unix:/run/safelight.sock")
    out = _capture(server.logging_config(), "gunicorn.error", "Listening at: %s (%s)",
                   "http://127.0.0.1:8000", 42)
    assert "Listening at: http://127.0.0.1:8000 (42)" in out
    assert remove_addresses("bound to [::1]:8001") == "bound to [::1]:8001"
    # A client's address is still removed, even a client on the server's own host.
    assert remove_addresses("from 192.0.2.44 at 127.0.0.1:8000") == (
        f"from {REDACTED} at 127.0.0.1:8000")
    assert remove_addresses("from 127.0.0.1:53412") == f"from {REDACTED}:53412"


def test_it_keeps_no_access_log():
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == []
    options = server.gunicorn_options(bind="127.0.0.1:8000", workers=1)
    assert options["accesslog"] is None
    assert options["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == []
    assert options["forwarded_allow_ips"] == ""


def test_it_lets_only_the_trusted_proxy_say_the_browser_used_https():
    options = server.gunicorn_options(bind="127.0.0.1:8000", workers=1,
                                      trusted_proxies=("127.0.0.1", "::1"))
    assert options["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_it_puts_every_configured_handler_behind_the_filter():
    for config_dict in (settings.LOGGING, server.logging_config()):
        for handler in config_dict["handlers"].values():
            assert "no_client_addresses" in handler["filters"]
        assert config_dict["filters"]["no_client_addresses"]["()"].endswith("RemoveClientAddresses")


def test_it_drops_request_and_socket_attributes():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("10.1.2.3",), None)
    record.request = object()
    record.client = ("10.1.2.3", 4444)
    assert RemoveClientAddresses().filter(record) is True
    assert record.request is None and record.client is None
    assert record.getMessage() == f"hello {REDACTED}"
