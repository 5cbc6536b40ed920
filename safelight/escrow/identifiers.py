"""Canonical identifiers for matching escrow: different spellings of one person agree.

`canonicalise(kind, text, default_region=...)` turns what a reporter typed into one string that
starts with its type, such as ``instagram:some.user``, ``email:someone@example.org``,
``phone:+447700900123`` or ``internal:e12345``. It raises `InvalidIdentifier`, whose ``code`` is
a short stable string, and nothing else. ``safelight/static/escrow/identifiers.js`` does the same
in the browser, step for step, and must give the same string or the same code for every input:
tests/escrow/data/identifier_cases.json is run through both.

The social services are data, in ``services.json`` beside this module, read by both sides (the
page embeds it with ``json_script``; `load_services` returns it). For each service: ``code`` and
English ``name`` (translated through `SERVICE_LABELS`); ``hosts`` (any one of them, or a
subdomain of one); ``subdomains`` and ``subdomain_pattern`` (the subdomains that are the same
site: ``www``, ``m``...); ``short_hosts`` (short-link hosts); ``values`` (the kinds of
identifier: ``prefix`` of the canonical string, ``pattern`` of the value, ``lowercase``, and
``ignore``: characters dropped); ``bare`` (which values a bare name may be, tried in order);
``bare_prefixes`` (``@``, ``u/``...); ``routes`` (``path`` templates, ``more``, ``query`` and
``value``, ``error``); ``reserved`` (first path segments that are the service's own pages).

Errors: `InvalidIdentifier` has ``code``, ``service`` and ``other`` (service codes) and a
``message``; `ERROR_MESSAGES` maps each code to its lazy message, in which ``%(service)s`` and
``%(other)s`` stand for service names. In the browser the Error has the same ``code``,
``service`` and ``other``, and ``SafelightIdentifiers.message(error, messages, labels)`` words
it from the page's embedded `ERROR_MESSAGES` and service labels.

Rules, in order:

1. Text. Unicode NFKC (full-width letters and at signs become ASCII, no-break spaces become spaces);
   invisible characters (zero-width space and joiners, direction marks, soft hyphen, byte order
   mark: ``invisible`` in services.json) are removed everywhere; whitespace (``whitespace`` in
   services.json) is trimmed from both ends. Input longer than 2,048 characters is ``too_long``;
   nothing left is ``empty``; control characters or lone surrogates are ``bad_characters``.
   "Lowercase" below is Unicode's default lowercase mapping (Python ``str.lower``, JavaScript
   ``toLowerCase``), followed by NFKC again so the result is stable.
2. Email (``email``). An optional ``mailto:`` (and anything after ``?``) and a ``Name <...>``
   wrapper are removed. Exactly one ``@``; no whitespace; local part of dot-separated atoms
   without ``"(),:;<>[\\]``, at most 64 characters; a domain of at least two labels, the last not
   all digits. Both parts are lowercased: the domain is case-insensitive by standard and, in
   practice, every large provider treats the local part so too. No provider-specific folding
   (Gmail's dots and ``+tags`` are kept): it cannot be done reliably for every provider.
   Internationalised domains are kept as typed (Unicode, lowercased); ``xn--`` spellings are not
   decoded, so a Unicode and a Punycode spelling of one domain do not match.
3. Phone (``phone``). An optional ``tel:`` is removed; whitespace and the separators ``-.()/`` are
   dropped; what is left must be ASCII digits with at most a leading ``+`` (letters, extensions
   and non-ASCII digits are ``phone_invalid``). Without ``+``, the organisation's default region
   (an ISO 3166 code the library knows; anything else counts as none) is used, so national
   spellings (``07700 900123`` in GB) and international dialling prefixes (``0044...``) work;
   with no region, a number without ``+`` is ``phone_needs_country_code``. The number is parsed
   with ``phonenumbers`` and must be *possible* (right length), not *valid* (assigned range): the
   length is checked against the main region of its country calling code and only a full
   ``IS_POSSIBLE`` counts, not ``IS_POSSIBLE_LOCAL_ONLY`` (a number without its area code does
   not name one line). This is exactly what the browser checks with libphonenumber-js, whose own
   ``isPossible`` would judge shared calling codes (+1, +44, +599...) by the region it guesses.
   The result is E.164.
4. Social services (the ten codes of services.json). For the chosen service:
   - ``@handle`` and the service's other bare prefixes (``u/`` for Reddit, ``in/`` for LinkedIn)
     and a bare ``handle`` are read as the account name, as is anything without ``/``, ``?`` or
     ``#`` that is not the host name of a known service;
   - anything else is a link, with or without ``http(s)://``: other schemes are ``url_invalid``;
     the host is lowercased, its port and trailing dot dropped; it must be one of the service's
     hosts (``twitter.com`` and ``x.com`` alike) or one of its listed subdomains (``www.``,
     ``m.``, ``mobile.``... and, where the service uses them, language subdomains such as
     ``de-de.facebook.com``). A host of another known service is ``url_other_service`` naming
     it; an unknown host ``url_wrong_site`` (a "host" without a dot, as in ``name#1234``, was a
     mistyped name: ``handle_invalid``); a short-link host (``vm.tiktok.com``, ``t.co``...)
     or short-link path (``tiktok.com/t/...``) ``short_link``: resolving it would mean asking the
     service, which Safelight never does;
   - the fragment and every query parameter are dropped (tracking parameters such as ``igshid``
     included), except the one a route names (Facebook's ``profile.php?id=``); empty path
     segments (doubled and trailing slashes) are ignored; each segment is percent-decoded as
     UTF-8 (invalid encodings are ``url_invalid``);
   - the service's routes are tried in order: a route's literal segments compare ignoring ASCII
     case, ``*`` matches any segment, ``{value}`` (optionally after a literal prefix such as
     ``@``) captures one, ``more`` allows further segments (a post under the profile still names
     the profile). A captured first segment that is a reserved word of the service (``explore``,
     ``p``...) does not match. A route with ``error`` raises that code; a link that no route
     matches is ``url_not_profile``;
   - the captured or bare value goes through the value's rule: NFKC, lowercase where the service
     is case-insensitive (all ten are, for names), characters the service ignores dropped
     (Facebook ignores dots), then the value's pattern; failing that, ``handle_invalid``.
   Some services have a second kind of identifier, with its own prefix, that cannot be mapped to
   the name offline: ``facebook-id:`` (``profile.php?id=``, ``/people/.../<id>``, an all-digit
   name), ``discord-id:`` (``discord.com/users/<id>``, or 17-20 bare digits), and
   ``youtube-channel:`` (``/channel/UC...``, case kept: channel ids are case-sensitive). Two
   reporters match only if they use the same kind. YouTube's older ``/c/<name>`` and
   ``/user/<name>`` links are ``youtube_legacy_url``: they do not necessarily name the channel
   whose handle is ``@<name>``, so the reporter is asked for the ``@`` handle instead. Discord's
   old ``name#1234`` tags are ``handle_invalid``: the current username is asked for.
5. Internal (``internal``): an organisation's own id (employee number, user id on the platform).
   All whitespace removed, lowercased, at most 200 characters. (Lowercase, not Python's
   ``casefold``: the browser has no casefold, and both sides must agree; the two differ only for
   a few letters such as ``ß``.)

Known limits: Python 3.11 knows Unicode 14 and the browser a later version, so NFKC and
lowercasing can differ for characters assigned since (a differential run of 88,000 mutated
spellings found differences for those characters only); ``phonenumbers`` and libphonenumber-js carry
their own copies of Google's metadata, so keep their versions close (see
safelight/static/escrow/vendor/README.md); on 22,382 generated numbers two differed (national
prefix edge cases in JE and TT).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

SERVICES_PATH = Path(__file__).with_name("services.json")
MAX_INPUT = 2048
MAX_INTERNAL = 200

# The services' display names, through gettext; services.json holds the English ones.
SERVICE_LABELS = {
    "instagram": _("Instagram"),
    "facebook": _("Facebook"),
    "x": _("X (Twitter)"),
    "tiktok": _("TikTok"),
    "snapchat": _("Snapchat"),
    "linkedin": _("LinkedIn"),
    "reddit": _("Reddit"),
    "discord": _("Discord"),
    "telegram": _("Telegram"),
    "youtube": _("YouTube"),
}

KINDS = [
    ("email", _("Email address")),
    ("phone", _("Phone number")),
    *SERVICE_LABELS.items(),
    ("internal", _("An ID used inside the organisation (employee number, user ID)")),
]
KIND_LABELS = dict(KINDS)

ERROR_MESSAGES = {
    "unknown_kind": _("Please choose what kind of detail this is."),
    "empty": _("This is empty. Type the detail you know, or leave this line out."),
    "too_long": _("This is longer than we can use. Please check that only one detail is here."),
    "bad_characters": _(
        "This has characters in it that cannot be typed, perhaps from copying. "
        "Please type it in again."
    ),
    "email_invalid": _(
        "This does not look like a whole email address. It should look like name@example.org."
    ),
    "phone_needs_country_code": _(
        "Please add the country code, starting with +, for example +44 7700 900123."
    ),
    "phone_invalid": _(
        "This does not look like a whole phone number. Please check the digits and the "
        "country code."
    ),
    "handle_invalid": _(
        "This does not look like a %(service)s username. Please check the spelling, or paste "
        "the address of their profile page."
    ),
    "url_invalid": _(
        "We could not read this link. Paste the address of their profile page, or type the "
        "username."
    ),
    "url_wrong_site": _(
        "This link is not to %(service)s. Paste the address of their %(service)s profile page, "
        "or type the username."
    ),
    "url_other_service": _(
        "This looks like a %(other)s link. To name a %(other)s account, choose %(other)s in "
        "the list."
    ),
    "url_not_profile": _(
        "This link goes to a page on %(service)s that is not a profile, such as a post. Paste "
        "the address of their profile page, or type the username."
    ),
    "short_link": _(
        "Short links cannot be used here: we would have to visit the site to see where they "
        "lead. Type the username, or paste the full address of their profile page."
    ),
    "youtube_legacy_url": _(
        "This is an older kind of YouTube link that may not match the channel's handle. Type "
        "the handle that starts with @, shown on the channel's page."
    ),
}


class InvalidIdentifier(ValueError):
    """What the person typed cannot be used; ``code`` says why. Never carries the input."""

    def __init__(self, code: str, *, service: str = "", other: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.service = service
        self.other = other

    @property
    def message(self) -> str:
        return str(ERROR_MESSAGES[self.code]) % {
            "service": KIND_LABELS.get(self.service, self.service),
            "other": KIND_LABELS.get(self.other, self.other),
        }


# --- services.json ------------------------------------------------------------------------------


def _whole(pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern})")


@dataclass(frozen=True)
class Value:
    prefix: str
    pattern: re.Pattern[str]
    lowercase: bool
    ignore: str


@dataclass(frozen=True)
class Service:
    code: str
    hosts: tuple[str, ...]
    subdomains: frozenset[str]
    subdomain_pattern: re.Pattern[str] | None
    short_hosts: frozenset[str]
    values: dict[str, Value]
    bare: tuple[str, ...]
    bare_prefixes: tuple[str, ...]
    routes: tuple[dict[str, Any], ...]
    reserved: frozenset[str]


@dataclass(frozen=True)
class Catalogue:
    whitespace: frozenset[str]
    invisible: frozenset[str]
    services: dict[str, Service]


def _service(data: dict[str, Any]) -> Service:
    values = {
        name: Value(v["prefix"], _whole(v["pattern"]), v["lowercase"], v.get("ignore", ""))
        for name, v in data["values"].items()
    }
    pattern = data.get("subdomain_pattern")
    return Service(
        code=data["code"],
        hosts=tuple(data["hosts"]),
        subdomains=frozenset(data["subdomains"]),
        subdomain_pattern=_whole(pattern) if pattern else None,
        short_hosts=frozenset(data["short_hosts"]),
        values=values,
        bare=tuple(data["bare"]),
        bare_prefixes=tuple(data["bare_prefixes"]),
        routes=tuple(data["routes"]),
        reserved=frozenset(data["reserved"]),
    )


@cache
def load_services() -> dict[str, Any]:
    """services.json as parsed JSON: what the page embeds for identifiers.js (read once; do not
    change the result)."""
    return json.loads(SERVICES_PATH.read_text(encoding="utf-8"))


@cache
def catalogue() -> Catalogue:
    data = load_services()
    return Catalogue(
        whitespace=frozenset(data["whitespace"]),
        invisible=frozenset(data["invisible"]),
        services={s["code"]: _service(s) for s in data["services"]},
    )


# --- text ---------------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _lower(text: str) -> str:
    return _nfkc(text.lower())


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _drop(text: str, chars: frozenset[str] | str) -> str:
    return "".join(c for c in text if c not in chars)


def _trim(text: str, chars: frozenset[str]) -> str:
    start, end = 0, len(text)
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return text[start:end]


def _has(text: str, chars: frozenset[str]) -> bool:
    return any(c in chars for c in text)


def _clean(text: str) -> str:
    cat = catalogue()
    if len(text) > MAX_INPUT:
        raise InvalidIdentifier("too_long")
    text = _trim(_drop(_nfkc(text), cat.invisible), cat.whitespace)
    if not text:
        raise InvalidIdentifier("empty")
    if _CONTROL.search(text):
        raise InvalidIdentifier("bad_characters")
    return text


# --- public -------------------------------------------------------------------------------------


def canonicalise(kind: str, text: str, *, default_region: str = "") -> str:
    """The canonical ``kind:value`` string for what the person typed, or InvalidIdentifier."""
    if kind not in KIND_LABELS:
        raise InvalidIdentifier("unknown_kind")
    text = _clean(text if isinstance(text, str) else "")
    if kind == "email":
        return _email(text)
    if kind == "phone":
        return _phone(text, default_region)
    if kind == "internal":
        return _internal(text)
    return _social(catalogue().services[kind], text)


# --- email --------------------------------------------------------------------------------------

_MAILTO = "mailto:"
_NAMED = re.compile("[^<>]*<([^<>]*)>")
_ATOM = "[^\x00-\x20\"(),.:;<>@\\[\\\\\\]\x7f]+"
_LOCAL = _whole(f"{_ATOM}(?:[.]{_ATOM})*")
_LABEL = "(?:[a-z0-9]|[^\x00-\x7f])(?:(?:[a-z0-9-]|[^\x00-\x7f]){0,61}(?:[a-z0-9]|[^\x00-\x7f]))?"
_DOMAIN = _whole(f"{_LABEL}(?:[.]{_LABEL})+")
_DIGITS = _whole("[0-9]+")


def _email(text: str) -> str:
    cat = catalogue()
    if _ascii_lower(text).startswith(_MAILTO):
        text = text[len(_MAILTO) :].split("?", 1)[0]
    named = _NAMED.fullmatch(text)
    if named:
        text = _trim(named.group(1), cat.whitespace)
    if _has(text, cat.whitespace) or text.count("@") != 1:
        raise InvalidIdentifier("email_invalid")
    local, domain = text.split("@")
    local, domain = _lower(local), _lower(domain)
    if domain.endswith("."):
        domain = domain[:-1]
    if not _email_parts_ok(local, domain):
        raise InvalidIdentifier("email_invalid")
    return f"email:{local}@{domain}"


def _email_parts_ok(local: str, domain: str) -> bool:
    return (
        len(local) <= 64
        and len(domain) <= 253
        and _LOCAL.fullmatch(local) is not None
        and _DOMAIN.fullmatch(domain) is not None
        and _DIGITS.fullmatch(domain.rsplit(".", 1)[1]) is None
    )


# --- phone --------------------------------------------------------------------------------------

_TEL = "tel:"
_PHONE_SEPARATORS = frozenset("-.()/")
_PHONE = _whole("[+]?[0-9]{2,20}")


def _region(default_region: str) -> str:
    region = (default_region or "").strip().upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else ""


def _phone(text: str, default_region: str) -> str:
    if _ascii_lower(text).startswith(_TEL):
        text = text[len(_TEL) :]
    text = _drop(_drop(text, catalogue().whitespace), _PHONE_SEPARATORS)
    if not _PHONE.fullmatch(text):
        raise InvalidIdentifier("phone_invalid")
    region = _region(default_region)
    if not text.startswith("+") and not region:
        raise InvalidIdentifier("phone_needs_country_code")
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except NumberParseException:
        raise InvalidIdentifier("phone_invalid") from None
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        raise InvalidIdentifier("phone_invalid")
    return "phone:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)


# --- internal -----------------------------------------------------------------------------------


def _internal(text: str) -> str:
    value = _lower(_drop(text, catalogue().whitespace))
    if len(value) > MAX_INTERNAL:
        raise InvalidIdentifier("too_long")
    return f"internal:{value}"


# --- social services ----------------------------------------------------------------------------

_SCHEME = re.compile("([A-Za-z][A-Za-z0-9+.-]*)://")
_PORT = re.compile(":[0-9]*\\Z")
_PERCENT = re.compile("(?:%[0-9A-Fa-f]{2})+")
_LINK_CHARS = frozenset("/?#")


def _social(service: Service, text: str) -> str:
    if _has(text, catalogue().whitespace):
        raise InvalidIdentifier("handle_invalid", service=service.code)
    scheme = _SCHEME.match(text)
    if scheme:
        if _ascii_lower(scheme.group(1)) not in ("http", "https"):
            raise InvalidIdentifier("url_invalid", service=service.code)
        return _link(service, text[scheme.end() :])
    if text.startswith("//"):
        return _link(service, text[2:])
    bare = _bare_text(service, text)
    return _bare(service, bare) if bare is not None else _link(service, text)


def _bare_text(service: Service, text: str) -> str | None:
    """The account name when the text is not a link, else None."""
    low = _ascii_lower(text)
    for prefix in service.bare_prefixes:
        if low.startswith(prefix):
            rest = text[len(prefix) :].rstrip("/")
            if not _has(rest, _LINK_CHARS):
                return rest
    text = text.rstrip("/")
    if _has(text, _LINK_CHARS) or _owner(_host(text)) is not None:
        return None
    return text


def _bare(service: Service, raw: str) -> str:
    for name in service.bare:
        value = _value(service.values[name], raw)
        if value is not None:
            return value
    raise InvalidIdentifier("handle_invalid", service=service.code)


def _value(spec: Value, raw: str) -> str | None:
    cat = catalogue()
    value = _drop(_nfkc(raw), cat.invisible)
    if spec.lowercase:
        value = _lower(value)
    value = _drop(value, spec.ignore)
    if _has(value, cat.whitespace) or _CONTROL.search(value):
        return None
    if not spec.pattern.fullmatch(value):
        return None
    return f"{spec.prefix}:{value}"


def _host(authority: str) -> str:
    host = _PORT.sub("", _ascii_lower(authority))
    return host[:-1] if host.endswith(".") else host


def _owner(host: str) -> tuple[Service, str, bool] | None:
    """(service, subdomain, is a short-link host) for a host, or None when no service has it."""
    for service in catalogue().services.values():
        if host in service.short_hosts:
            return service, "", True
        for base in service.hosts:
            if host == base:
                return service, "", False
            if host.endswith("." + base):
                return service, host[: -len(base) - 1], False
    return None


def _link(service: Service, rest: str) -> str:
    cut = min((rest.find(c) for c in _LINK_CHARS if c in rest), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    host = _host(authority)
    if not host or "@" in host:
        raise InvalidIdentifier("url_invalid", service=service.code)
    _check_host(service, host)
    path, _sep, query = tail.split("#", 1)[0].partition("?")
    segments = [_decode(service, s) for s in path.split("/") if s]
    params = _params(query)
    return _route(service, segments, params)


def _check_host(service: Service, host: str) -> None:
    owner = _owner(host)
    if owner is None:
        # Without a dot it was never a host name: a name with a stray "/" or "#" in it.
        code = "url_wrong_site" if "." in host else "handle_invalid"
        raise InvalidIdentifier(code, service=service.code)
    found, subdomain, short = owner
    if found is not service:
        raise InvalidIdentifier("url_other_service", service=service.code, other=found.code)
    if short:
        raise InvalidIdentifier("short_link", service=service.code)
    if subdomain and subdomain not in service.subdomains and not (
        service.subdomain_pattern and service.subdomain_pattern.fullmatch(subdomain)
    ):
        raise InvalidIdentifier("url_not_profile", service=service.code)


def _decode(service: Service, segment: str) -> str:
    try:
        return _PERCENT.sub(lambda m: bytes.fromhex(m.group().replace("%", "")).decode(), segment)
    except UnicodeDecodeError:
        raise InvalidIdentifier("url_invalid", service=service.code) from None


def _params(query: str) -> dict[str, str]:
    """Query parameters, still percent-encoded: only the one a route names is ever decoded."""
    params: dict[str, str] = {}
    for pair in query.split("&"):
        key, _sep, value = pair.partition("=")
        params.setdefault(key, value)
    return params


def _route(service: Service, segments: list[str], params: dict[str, str]) -> str:
    invalid = False
    for route in service.routes:
        captured = _match(service, route, segments, params)
        if captured is None:
            continue
        if "error" in route:
            raise InvalidIdentifier(route["error"], service=service.code)
        value = _value(service.values[captured[0]], captured[1])
        if value is not None:
            return value
        invalid = True
    code = "handle_invalid" if invalid else "url_not_profile"
    raise InvalidIdentifier(code, service=service.code)


def _match(
    service: Service, route: dict[str, Any], segments: list[str], params: dict[str, str]
) -> tuple[str, str] | None:
    """(value name, captured text) when the route fits the path, else None."""
    template = route["path"]
    if len(segments) < len(template) or (len(segments) > len(template) and not route.get("more")):
        return None
    captured = ("", "")
    for index, (part, segment) in enumerate(zip(template, segments, strict=False)):
        brace = part.find("{")
        low = _ascii_lower(segment)
        if part == "*":
            continue
        if brace < 0:
            if low != part:
                return None
            continue
        if not low.startswith(part[:brace]):
            return None
        if index == 0 and brace == 0 and low in service.reserved:
            return None
        captured = (part[brace + 1 : -1], segment[brace:])
    if "query" in route:
        if route["query"] not in params:
            return None
        captured = (route["value"], _decode(service, params[route["query"]]))
    return captured
