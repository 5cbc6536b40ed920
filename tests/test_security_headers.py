"""Every URL that exists answers with the reporter-safety headers of DESIGN.md, whatever status."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, path, reverse
from django.utils.decorators import method_decorator
from django.views import View

from safelight.middleware import CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_WASM, allow_wasm
from safelight.urls import build_urlpatterns

REQUIRED = {
    "Content-Security-Policy": lambda v: v.startswith("default-src 'self'"),
    "Cache-Control": lambda v: v == "no-store",
    "Referrer-Policy": lambda v: v == "same-origin",
    "X-Frame-Options": lambda v: v == "DENY",
    "X-Content-Type-Options": lambda v: v == "nosniff",
}
# Values tried for each URL argument until reverse() accepts them (admin URLs use regexes).
SAMPLES = ["acme", "1", "accounts", "organisation", "00000000-0000-0000-0000-000000000000", "x"]


def named_routes(patterns=None, namespace="", outer=()):
    """(name, argument names) of every named route, walking included URL sets (an include's own
    arguments, such as the organisation of /<org>/help/, count for the routes inside it)."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry.url_patterns, inner,
                                    (*outer, *entry.pattern.regex.groupindex.keys()))
        elif isinstance(entry, URLPattern) and entry.name:
            named = tuple(entry.pattern.regex.groupindex.keys())
            # Unnamed groups (django-parler's delete-translation route) are given by position.
            unnamed = entry.pattern.regex.groups - len(named)
            yield f"{namespace}{entry.name}", (*outer, *named, *range(unnamed))


def concrete_urls():
    urls = set()
    for name, arguments in named_routes():
        arguments = list(arguments)
        for values in itertools.product(SAMPLES, repeat=len(arguments)):
            try:
                named = {k: v for k, v in zip(arguments, values, strict=True) if isinstance(k, str)}
                by_position = [v for k, v in zip(arguments, values, strict=True)
                               if not isinstance(k, str)]
                urls.add(reverse(name, args=by_position) if by_position and not named
                         else reverse(name, kwargs=named))
                break
            except NoReverseMatch:
                continue
        else:
            raise AssertionError(f"no sample arguments fit the route {name}")
    return sorted(urls)


def static_urls():
    return sorted(
        "/static/" + path_
        for finder in finders.get_finders()
        for path_, _storage in finder.list(ignore_patterns=[])
    )


def assert_safe_headers(response, url):
    for header, ok in REQUIRED.items():
        value = response.headers.get(header)
        assert value is not None and ok(value), f"{url}: {header}={value!r}"
    assert "Access-Control-Allow-Origin" not in response.headers, url


def test_it_knows_both_interfaces_urls():
    urls = concrete_urls()
    assert "/acme/" in urls  # reporter side
    assert "/staff/admin/" in urls  # staff side
    assert len(urls) > 30


@pytest.mark.django_db
def test_it_sends_the_headers_on_every_url_anonymously(organisation):
    client = Client()
    for url in concrete_urls():
        assert_safe_headers(client.get(url), url)


@pytest.mark.django_db
def test_it_sends_the_headers_on_every_url_to_a_signed_in_administrator(staff_client):
    client = staff_client
    statuses = {}
    for url in concrete_urls():
        response = client.get(url)
        statuses[url] = response.status_code
        assert_safe_headers(response, url)
    assert statuses["/staff/admin/"] == 200
    assert statuses["/staff/"] == 200


@pytest.mark.django_db
def test_it_sends_the_headers_on_every_static_file(client):
    urls = static_urls()
    assert "/static/safelight/site.css" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe_headers(response, url)
        response.close()


@pytest.mark.django_db
def test_it_sends_the_headers_on_a_page_that_does_not_exist(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_safe_headers(response, "404")
    assert b"Quick exit" in response.content


def _explode(request):
    raise RuntimeError("boom")


@allow_wasm
def _wasm_page(request):
    return HttpResponse("<title>OPRF</title>")


def _wasm_flag_page(request):
    response = HttpResponse("<title>OPRF</title>")
    response.allows_wasm = True
    return response


@method_decorator(allow_wasm, name="dispatch")
class _WasmView(View):
    def get(self, request):
        return HttpResponse("<title>OPRF</title>")


def _plain_page(request):
    return HttpResponse("<title>Plain</title>")


urlpatterns = [
    path("explode/", _explode),
    path("wasm/", _wasm_page),
    path("wasm-flag/", _wasm_flag_page),
    path("wasm-class/", _WasmView.as_view()),
    path("plain/", _plain_page),
    *build_urlpatterns({"reporter", "staff"}),
]
handler500 = "safelight.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_it_sends_the_headers_and_a_plain_page_on_a_server_error():
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    assert_safe_headers(response, "500")
    assert b"Quick exit" in response.content
    assert b"boom" not in response.content


def directives(policy):
    """{name: [sources]} of a Content-Security-Policy header."""
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        assert name not in parsed, f"{name} twice in {policy!r}"
        parsed[name] = sources
    return parsed


@pytest.mark.django_db
def test_it_forbids_webassembly_and_eval_on_ordinary_pages(client, organisation):
    for url in ["/acme/", "/help/safety/", "/static/safelight/site.css", "/no/such/page/"]:
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY, url
        assert directives(policy) == {
            "default-src": ["'self'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "object-src": ["'none'"],
        }
        assert "wasm" not in policy and "unsafe" not in policy, url


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_it_lets_a_view_that_asks_compile_webassembly_and_nothing_more(client):
    for url in ["/wasm/", "/wasm-flag/", "/wasm-class/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe_headers(response, url)
        policy = response.headers["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY_WASM, url
        wasm, plain = directives(policy), directives(CONTENT_SECURITY_POLICY)
        # Only script-src is added: WebAssembly compilation, never JavaScript's eval.
        assert wasm.pop("script-src") == ["'self'", "'wasm-unsafe-eval'"]
        assert wasm == plain
        assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_it_keeps_the_strict_policy_on_views_that_do_not_ask(client):
    assert client.get("/plain/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert client.get("/nowhere/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
