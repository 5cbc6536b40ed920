"""A key service over HTTP: a real round trip to the keyservice view, refusals and bad answers.

The live server serves this module's URLconf: what a process with SAFELIGHT_INTERFACES=keyservice
serves (safelight.urls.build_urlpatterns), and nothing else.
"""

import base64
import contextlib
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from safelight.crypto import oprf
from safelight.escrow import keyservice_limits, keyservices
from safelight.escrow.keyservices import KeyServiceLimit, KeyServiceUnavailable
from safelight.escrow.views import keyservice
from safelight.urls import build_urlpatterns

urlpatterns = build_urlpatterns({"keyservice"})
pytestmark = pytest.mark.urls(__name__)

TOKEN = "t" * 40
IDENTIFIER = b"instagram:some.user"


@pytest.fixture
def split(settings, live_server):
    """Service 1 is the live server's keyservice view, service 2 a local one; returns sk."""
    from django.core.cache import cache

    sk = oprf.generate_key()
    k1, k2 = oprf.split_key(sk)
    settings.SAFELIGHT_KEY_SHARE = k1
    settings.SAFELIGHT_KEY_SERVICE_TOKEN = TOKEN
    settings.SAFELIGHT_KEY_SERVICE_SESSION_LIMIT = 12
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 1000
    settings.SAFELIGHT_KEY_SERVICES = [
        {
            "NAME": "key-service-1",
            "BACKEND": "http",
            "URL": live_server.url + "/keyservice/evaluate",
            "TOKEN": TOKEN,
        },
        {"NAME": "key-service-2", "BACKEND": "local", "SHARE": k2},
    ]
    cache.clear()
    return sk


def session() -> str:
    return uuid.uuid4().hex


def post(url, body, token=TOKEN, method="POST"):
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - loopback
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def blinded_body(tag="a-session"):
    _, blinded = oprf.blind(IDENTIFIER)
    return json.dumps(
        {"blinded": base64.b64encode(blinded).decode(), "session": tag}
    ).encode()


def test_it_evaluates_over_http_as_the_full_key_would(split, caplog):
    caplog.set_level(logging.DEBUG)
    tag = session()
    assert keyservices.configured()
    assert keyservices.oprf_output(IDENTIFIER, session=tag) == oprf.evaluate(split, IDENTIFIER)
    blind, blinded = oprf.blind(IDENTIFIER)
    evaluated = keyservices.evaluate(blinded, session=tag)
    assert oprf.finalize(IDENTIFIER, blind, evaluated) == oprf.evaluate(split, IDENTIFIER)
    assert keyservice_limits.used(keyservice.NAMESPACE, tag) == 2
    assert tag not in caplog.text
    assert IDENTIFIER.decode() not in caplog.text


def test_it_answers_the_evaluation_of_its_share_only(split, settings, live_server):
    blind, blinded = oprf.blind(IDENTIFIER)
    body = json.dumps({"blinded": base64.b64encode(blinded).decode(), "session": "s"}).encode()
    status, answer = post(live_server.url + "/keyservice/evaluate", body)
    assert status == 200
    assert set(answer) == {"evaluated"}
    evaluated = base64.b64decode(answer["evaluated"])
    assert evaluated == oprf.blind_evaluate(settings.SAFELIGHT_KEY_SHARE, blinded)
    assert oprf.finalize(IDENTIFIER, blind, evaluated) != oprf.evaluate(split, IDENTIFIER)


@pytest.mark.parametrize("token", [None, "", "t" * 39, "t" * 41, "u" * 40])
def test_it_refuses_a_wrong_token(token, split, live_server):
    status, _ = post(live_server.url + "/keyservice/evaluate", blinded_body(), token=token)
    assert status == 401
    assert keyservice_limits.used(keyservice.NAMESPACE) == 0  # nothing was counted


def test_it_reports_a_wrong_token_as_unavailable(split, settings):
    settings.SAFELIGHT_KEY_SERVICES[0] = {**settings.SAFELIGHT_KEY_SERVICES[0], "TOKEN": "x" * 40}
    with pytest.raises(KeyServiceUnavailable) as refused:
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert "401" in refused.value.detail


def test_it_maps_the_services_429_to_the_limit_and_spares_the_second_service(split, settings):
    settings.SAFELIGHT_KEY_SERVICE_SESSION_LIMIT = 2
    tag = session()
    for _ in range(2):
        keyservices.oprf_output(IDENTIFIER, session=tag)
    with pytest.raises(KeyServiceLimit) as refused:
        keyservices.oprf_output(IDENTIFIER, session=tag)
    assert "try again tomorrow" in str(refused.value.message)
    assert keyservice_limits.used("local:key-service-2", tag) == 2


def test_it_refuses_before_evaluating(split, settings, live_server, monkeypatch):
    settings.SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = 1
    calls = []
    original = oprf.blind_evaluate
    monkeypatch.setattr(
        oprf, "blind_evaluate", lambda *args: calls.append(args) or original(*args)
    )
    url = live_server.url + "/keyservice/evaluate"
    assert post(url, blinded_body(session()))[0] == 200
    assert post(url, blinded_body(session()))[0] == 429
    assert len(calls) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"{}",
        json.dumps({"blinded": "!!!", "session": "s"}).encode(),
        json.dumps({"blinded": base64.b64encode(b"short").decode(), "session": "s"}).encode(),
        json.dumps({"blinded": base64.b64encode(bytes(32)).decode(), "session": "s"}).encode(),
        json.dumps({"blinded": base64.b64encode(b"\xff" * 32).decode(), "session": "s"}).encode(),
        json.dumps({"blinded": base64.b64encode(b"\x01" * 32).decode(), "session": 7}).encode(),
        json.dumps({"blinded": base64.b64encode(b"\x01" * 32).decode(), "session": ""}).encode(),
        json.dumps(
            {"blinded": base64.b64encode(b"\x01" * 32).decode(), "session": "s" * 129}
        ).encode(),
        b" " * 2000,
    ],
)
def test_it_refuses_a_bad_request_plainly(body, split, live_server):
    status, _ = post(live_server.url + "/keyservice/evaluate", body)
    assert status == 400


def test_it_serves_nothing_but_the_evaluation(split, live_server):
    status, _ = post(live_server.url + "/keyservice/evaluate", None, method="GET")
    assert status == 405
    for path in ("/acme/", "/staff/", "/staff/admin/", "/help/safety/"):
        assert post(live_server.url + path, None, method="GET")[0] == 404


def test_it_answers_503_when_the_service_has_no_share(split, settings, live_server):
    settings.SAFELIGHT_KEY_SHARE = None
    assert post(live_server.url + "/keyservice/evaluate", blinded_body())[0] == 503
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(IDENTIFIER, session=session())


# What a broken or hostile key service might answer: each is Unavailable, never a crash.


class FakeService:
    def __init__(self, status=200, body=b"", headers=(), delay=0.0):
        self.status, self.body, self.headers, self.delay = status, body, headers, delay
        self.requests = []


@pytest.fixture
def fake_service(settings):
    """A one-thread HTTP server on the loopback interface that answers what a test sets."""
    fake = FakeService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            fake.requests.append((dict(self.headers), self.rfile.read(length)))
            time.sleep(fake.delay)
            self.send_response(fake.status)
            for name, value in fake.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client may have given up waiting
                self.wfile.write(fake.body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a client that gave up waiting is what some tests are about

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.SAFELIGHT_KEY_SERVICES = [
        {
            "NAME": "fake",
            "BACKEND": "http",
            "URL": f"http://127.0.0.1:{server.server_address[1]}/keyservice/evaluate",
            "TOKEN": TOKEN,
            "TIMEOUT": 1.0,
        },
        {"NAME": "local", "BACKEND": "local", "SHARE": oprf.generate_key()},
    ]
    yield fake
    server.shutdown()
    server.server_close()


def _element():
    return oprf.blind(b"anything")[1]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b""),
        (200, b"<html>Welcome to nginx</html>"),
        (200, b"{}"),
        (200, b"[1, 2]"),
        (200, b'{"evaluated": null}'),
        (200, b'{"evaluated": 42}'),
        (200, b'{"evaluated": "not base64!"}'),
        (200, json.dumps({"evaluated": base64.b64encode(b"short").decode()}).encode()),
        (200, json.dumps({"evaluated": base64.b64encode(bytes(32)).decode()}).encode()),
        (200, json.dumps({"evaluated": base64.b64encode(b"\xff" * 32).decode()}).encode()),
        (200, b'{"evaluated": "' + b"A" * 5000 + b'"}'),
        (200, b"\xff\xfe\x00"),
        (500, b"Internal Server Error"),
        (502, b""),
        (404, b"{}"),
    ],
)
def test_it_reports_a_garbage_answer_as_unavailable(status, body, fake_service, caplog):
    fake_service.status, fake_service.body = status, body
    with pytest.raises(KeyServiceUnavailable) as refused:
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert "not available" in str(refused.value.message)
    assert "fake" in caplog.text


def test_it_sends_the_token_and_only_the_blinded_element_and_session(fake_service):
    fake_service.body = json.dumps({"evaluated": base64.b64encode(_element()).decode()}).encode()
    keyservices.oprf_output(IDENTIFIER, session="tag-1")
    headers, body = fake_service.requests[0]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    sent = json.loads(body)
    assert set(sent) == {"blinded", "session"}
    assert sent["session"] == "tag-1"
    assert IDENTIFIER not in body


def test_it_does_not_follow_a_redirect_with_its_token(split, live_server, fake_service):
    fake_service.status = 307
    fake_service.headers = [("Location", live_server.url + "/keyservice/evaluate")]
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert keyservice_limits.used(keyservice.NAMESPACE) == 0  # never reached


def test_it_gives_up_on_a_slow_key_service(fake_service, settings):
    settings.SAFELIGHT_KEY_SERVICES[0]["TIMEOUT"] = 0.3
    fake_service.delay = 2
    started = time.monotonic()
    with pytest.raises(KeyServiceUnavailable):
        keyservices.oprf_output(IDENTIFIER, session=session())
    assert time.monotonic() - started < 1.5


def test_it_gives_up_on_a_key_service_that_accepts_and_never_answers(settings):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.SAFELIGHT_KEY_SERVICES = [
            {
                "NAME": "silent",
                "BACKEND": "http",
                "URL": f"http://127.0.0.1:{silent.getsockname()[1]}/keyservice/evaluate",
                "TOKEN": TOKEN,
                "TIMEOUT": 0.3,
            },
            {"NAME": "local", "BACKEND": "local", "SHARE": oprf.generate_key()},
        ]
        started = time.monotonic()
        with pytest.raises(KeyServiceUnavailable):
            keyservices.oprf_output(IDENTIFIER, session=session())
        assert time.monotonic() - started < 1.5


def test_it_reports_an_unreachable_key_service_as_unavailable(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        settings.SAFELIGHT_KEY_SERVICES = [
            {
                "NAME": "gone",
                "BACKEND": "http",
                "URL": f"http://127.0.0.1:{port}/keyservice/evaluate",
                "TOKEN": TOKEN,
            },
            {"NAME": "local", "BACKEND": "local", "SHARE": oprf.generate_key()},
        ]
        with pytest.raises(KeyServiceUnavailable):
            keyservices.oprf_output(IDENTIFIER, session=session())
