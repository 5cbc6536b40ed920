"""A logging filter that takes client addresses out of every log record (DESIGN.md: no IP stored).

It is attached to every handler that Safelight configures (Django's LOGGING and gunicorn's), so it
sees records from any logger, including third-party ones. It drops the attributes through which
a record carries a request or socket, and replaces anything that parses as an IP address in the
message, its arguments and any formatted traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import re

REDACTED = "[address removed]"

# Candidates only: each match is confirmed with the ipaddress module, so times ("12:30:45") and
# version numbers ("1.2.3") are left alone while every real IPv4 or IPv6 address goes, with or
# without brackets, a zone ("%eth0") or a port (":8000").
_IPV6 = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.[0-9]{1,3}){0,3}(?:%\w+)?"
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_ATTRIBUTES = ("request", "client", "client_addr", "remote_addr", "ip", "addr", "peer")

# The addresses this server itself listens on, with their port, exactly as gunicorn prints them
# ("Listening at: http://127.0.0.1:8000"): they belong to no client, and an operator needs to see
# them. The same address without that port (a client's, with its own port) is still removed.
# Registered by safelight.server.
_SERVER_BINDS: set[str] = set()
_KEPT = "\x00bind{}\x00"


def keep_server_address(bind: str) -> None:
    """Let a gunicorn bind ("127.0.0.1:8000", "[::1]:8000") through the filter, port included."""
    host, _, port = bind.rpartition(":")
    if not bind.startswith("unix:") and port.isdigit() and _is_address(host.strip("[]")):
        _SERVER_BINDS.add(bind)


def remove_addresses(text: str) -> str:
    """Replace every IPv4 or IPv6 address in text, except the server's own binds."""
    binds = sorted(_SERVER_BINDS, key=len, reverse=True)
    for number, bind in enumerate(binds):
        text = text.replace(bind, _KEPT.format(number))
    text = _IPV4.sub(_replace_ipv4, _IPV6.sub(_replace_ipv6, text))
    for number, bind in enumerate(binds):
        text = text.replace(_KEPT.format(number), bind)
    return text


def _is_address(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _replace_ipv6(match: re.Match[str]) -> str:
    candidate = match.group(0)
    if _is_address(candidate):
        return REDACTED
    # "2001:db8::1:8000"-style address followed by a port, unbracketed.
    head, _, port = candidate.rpartition(":")
    if port.isdigit() and _is_address(head):
        return f"{REDACTED}:{port}"
    return candidate


def _replace_ipv4(match: re.Match[str]) -> str:
    return REDACTED if _is_address(match.group(0)) else match.group(0)


class RemoveClientAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in _ATTRIBUTES:
            if name in record.__dict__:
                record.__dict__[name] = None
        record.msg = remove_addresses(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = remove_addresses(record.exc_text)
        if record.stack_info:
            record.stack_info = remove_addresses(record.stack_info)
        return True
