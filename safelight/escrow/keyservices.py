"""The app's side of the matching escrow's two key services (docs/escrow-key-services.md).

P̂ = OPRF(canonical identifier) under a key split in two additive shares (k1 + k2 = sk), each held
by one key service. The app sends both services the same blinded element, adds their answers
(k1·B + k2·B = sk·B) and finalises. Neither service sees the identifier (it is blinded), nor can
compute P̂ alone (it holds half of the key); each refuses past its rate limits, so names with
little entropy cannot be guessed through it.

    configured() -> bool
    evaluate(blinded, *, session) -> evaluated element   (the browser blinds and finalises)
    oprf_output(input, *, session) -> 64-byte output     (no JavaScript: all three steps here)

Services come from settings.SAFELIGHT_KEY_SERVICES (safelight/config.py): `local` holds its share
in this process and counts in its own namespace, as if it were another host (demo and tests);
`http` posts {"blinded", "session"} with a bearer token to a key service process
(SAFELIGHT_INTERFACES=keyservice, safelight.escrow.views.keyservice).

The services are asked one after the other, never at once: when the first refuses (limit reached
or unavailable), the second is not asked, so its budget is not spent on an evaluation that
cannot be used. Both count the same session with the same limits, so when the first still has
room the second normally has too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safelight.accounts.models import Organisation
from safelight.crypto import InvalidInput, oprf
from safelight.escrow import keyservice_limits

logger = logging.getLogger(__name__)

HTTP_TIMEOUT = 5.0  # seconds, for connecting and for each read
MAX_ANSWER_BYTES = 4096  # a real answer is under 100 bytes


def namespace(organisation: Organisation) -> str:
    """What separates one organisation's entries from another's inside the OPRF input."""
    return str(organisation.pk)


def session_tag(draft_id: object) -> str:
    """The key services' name for one reporter's session: a keyed hash of the draft's id."""
    return hmac.new(settings.SECRET_KEY.encode(), f"escrow-session:{draft_id}".encode(),
                    hashlib.sha256).hexdigest()[:32]


class KeyServiceError(Exception):
    """Matching cannot go ahead now; `message` says so to the reporter, in plain words."""

    message: Any = _("“Report together” is not available at the moment.")

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or str(self.message))
        self.detail = detail


class KeyServiceLimit(KeyServiceError):
    """A key service refused: its limit for this session or for today is reached."""

    message = _(
        "“Report together” cannot check any more names today. There is a daily limit, so that "
        "no one can find out who has been named by guessing. Please try again tomorrow, or "
        "continue without it: your report can still be sent."
    )


class KeyServiceUnavailable(KeyServiceError):
    """A key service is not configured, not reachable, or gave an answer that makes no sense."""

    message = _(
        "“Report together” is not available at the moment. Please try again later, or continue "
        "without it: your report can still be sent."
    )


class InvalidBlindedElement(KeyServiceError, InvalidInput):
    """What the reporter's browser sent is not a blinded element; no key service was asked."""

    message = _(
        "Something went wrong while protecting the name you gave. Please try again, or continue "
        "without it: your report can still be sent."
    )


@dataclass(frozen=True)
class LocalService:
    """A share held in this process; counts in its own namespace, as a separate host would."""

    name: str
    share: bytes

    def evaluate(self, blinded: bytes, session: str) -> bytes:
        try:
            keyservice_limits.acquire(f"local:{self.name}", session)
        except keyservice_limits.LimitReached as exc:
            raise KeyServiceLimit(f"{self.name}: {exc.scope} limit") from None
        try:
            return oprf.blind_evaluate(self.share, blinded)
        except InvalidInput:
            raise KeyServiceUnavailable(f"{self.name}: the share is not a valid key") from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A key service never redirects; following one would send the token elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@dataclass(frozen=True)
class HttpService:
    """A key service process elsewhere, reached with a bearer token."""

    name: str
    url: str
    token: str
    timeout: float = HTTP_TIMEOUT

    def evaluate(self, blinded: bytes, session: str) -> bytes:
        body = json.dumps(
            {"blinded": base64.b64encode(blinded).decode("ascii"), "session": session}
        ).encode("ascii")
        request = urllib.request.Request(  # noqa: S310 - the URL is checked in config.py
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                answer = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 429:
                raise KeyServiceLimit(f"{self.name}: limit reached") from None
            raise KeyServiceUnavailable(f"{self.name}: answered HTTP {exc.code}") from None
        except (OSError, http.client.HTTPException) as exc:  # refused, timed out, cut off, TLS
            raise KeyServiceUnavailable(
                f"{self.name}: not reachable ({type(exc).__name__})"
            ) from None
        return _parse_answer(self.name, answer)


def _parse_answer(name: str, answer: bytes) -> bytes:
    try:
        if len(answer) > MAX_ANSWER_BYTES:
            raise ValueError("answer too long")
        encoded = json.loads(answer)["evaluated"]
        if not isinstance(encoded, str):
            raise ValueError("evaluated is not a string")
        return base64.b64decode(encoded, validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise KeyServiceUnavailable(f"{name}: the answer is not an evaluation") from None


def _services() -> list[LocalService | HttpService]:
    services: list[LocalService | HttpService] = []
    for entry in getattr(settings, "SAFELIGHT_KEY_SERVICES", None) or []:
        backend = entry.get("BACKEND")
        if backend == "local":
            services.append(LocalService(name=entry["NAME"], share=entry["SHARE"]))
        elif backend == "http":
            services.append(
                HttpService(
                    name=entry["NAME"],
                    url=entry["URL"],
                    token=entry["TOKEN"],
                    timeout=entry.get("TIMEOUT", HTTP_TIMEOUT),
                )
            )
        else:
            raise KeyServiceUnavailable(f"unknown key service backend {backend!r}")
    return services


def configured() -> bool:
    """True when two key services are configured, so the escrow can be offered."""
    try:
        return len(_services()) == 2
    except (KeyServiceUnavailable, KeyError, TypeError, AttributeError):
        return False


def evaluate(blinded: bytes, *, session: str) -> bytes:
    """Both key services' evaluation of `blinded`, combined: sk·B for the full key sk.

    `session` is an opaque tag of the reporter's session (a keyed hash of their draft id); the
    key services count evaluations per tag and learn nothing else. Raises InvalidBlindedElement
    (before asking anyone), KeyServiceLimit or KeyServiceUnavailable, each with a `message` for
    the reporter. Nothing about `blinded` or `session` is logged.
    """
    try:
        oprf.check_element(blinded)
    except InvalidInput:
        raise InvalidBlindedElement("not a blinded element") from None
    try:
        services = _services()
    except (KeyError, TypeError, AttributeError):
        services = []
    if len(services) != 2:
        logger.warning("matching escrow: two key services are needed, %d configured", len(services))
        raise KeyServiceUnavailable("two key services are needed")
    answers = []
    for service in services:  # one after the other: see the module's docstring
        try:
            evaluated = service.evaluate(blinded, session)
            oprf.check_element(evaluated)
        except KeyServiceLimit as exc:
            logger.info("matching escrow: key service refused: %s", exc.detail)
            raise
        except KeyServiceUnavailable as exc:
            logger.warning("matching escrow: key service unavailable: %s", exc.detail)
            raise
        except InvalidInput:
            logger.warning("matching escrow: key service %s gave an invalid element", service.name)
            raise KeyServiceUnavailable(f"{service.name}: invalid element") from None
        answers.append(evaluated)
    try:
        return oprf.combine_evaluations(answers[0], answers[1])
    except InvalidInput:  # the two answers cancel out: at least one service is wrong
        logger.warning("matching escrow: the key services' answers add up to nothing")
        raise KeyServiceUnavailable("answers add up to the identity") from None


def oprf_output(input: bytes, *, session: str) -> bytes:
    """The no-JavaScript path: blind, evaluate and finalise here, in memory; 64 bytes.

    `input` is the canonical identifier; it is never logged, stored or sent (only its blinded
    form leaves). Raises what evaluate() raises; InvalidInput if `input` cannot be an OPRF input.
    """
    blind, blinded = oprf.blind(input)
    evaluated = evaluate(blinded, session=session)
    return oprf.finalize(input, blind, evaluated)
