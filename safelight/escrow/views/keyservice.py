"""A key service of the matching escrow: POST /keyservice/evaluate, nothing else.

A process with SAFELIGHT_INTERFACES=keyservice serves it. It holds one additive share of the OPRF
key (SAFELIGHT_KEY_SHARE) and answers the Safelight app, which authenticates with a bearer token
(SAFELIGHT_KEY_SERVICE_TOKEN):

    request   {"blinded": base64 of 32 bytes, "session": opaque tag of a reporter session}
    200       {"evaluated": base64 of share · blinded}
    400 bad request, 401 wrong token, 429 limit reached (keyservice_limits), 503 not configured

It sees a blinded element (which says nothing about the identifier) and a session tag (a keyed
hash made by the app). It keeps only rate-limit counters, under hashed keys, in the cache; it logs
no address, no tag and no element. A refused request costs no group operation: the token and the
limits are checked first.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safelight.crypto import InvalidInput, oprf
from safelight.escrow import keyservice_limits

logger = logging.getLogger(__name__)

NAMESPACE = "service"  # this process's counters; a separate host has a cache of its own
MAX_REQUEST_BYTES = 1024
MAX_SESSION_LENGTH = 128


def _error(status: int, error: str) -> JsonResponse:
    return JsonResponse({"error": error}, status=status)


def _authorised(request: HttpRequest, token: str) -> bool:
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    # Compared as digests: constant time, whatever the lengths.
    return scheme.lower() == "bearer" and hmac.compare_digest(
        hashlib.sha256(given.strip().encode("utf-8")).digest(),
        hashlib.sha256(token.encode("utf-8")).digest(),
    )


def _parse(request: HttpRequest) -> tuple[bytes, str] | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_REQUEST_BYTES:
        return None
    try:
        data = json.loads(request.body)
        blinded = base64.b64decode(data["blinded"], validate=True)
        session = data["session"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if (
        len(blinded) != 32
        or not isinstance(session, str)
        or not 0 < len(session) <= MAX_SESSION_LENGTH
    ):
        return None
    return blinded, session


@csrf_exempt  # a JSON API for another server, authenticated by its token; no cookie is read
@require_POST
def evaluate(request: HttpRequest) -> JsonResponse:
    share = settings.SAFELIGHT_KEY_SHARE
    token = settings.SAFELIGHT_KEY_SERVICE_TOKEN
    if not share or not token:
        logger.error("key service: SAFELIGHT_KEY_SHARE or SAFELIGHT_KEY_SERVICE_TOKEN is not set")
        return _error(503, "not_configured")
    if not _authorised(request, token):
        return _error(401, "unauthorised")
    parsed = _parse(request)
    if parsed is None:
        return _error(400, "bad_request")
    blinded, session = parsed
    try:
        keyservice_limits.acquire(NAMESPACE, session)
    except keyservice_limits.LimitReached as exc:
        if exc.scope == keyservice_limits.DAILY:
            logger.warning("key service: daily limit reached, evaluation refused")
        return _error(429, "limit")
    try:
        evaluated = oprf.blind_evaluate(share, blinded)
    except InvalidInput:
        return _error(400, "bad_element")
    return JsonResponse({"evaluated": base64.b64encode(evaluated).decode("ascii")})
