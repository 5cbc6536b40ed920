"""Every URL that exists answers with the reporter-safety headers of DESIGN.md, whatever status."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, path, reverse

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
            yield f"{namespace}{entry.name}", (*outer, *entry.pattern.regex.groupindex.keys())


def concrete_urls():
    urls = set()
    for name, arguments in named_routes():
        arguments = list(arguments)
        for values in itertools.product(SAMPLES, repeat=len(arguments)):
            try:
                urls.add(reverse(name, kwargs=dict(zip(arguments, values, strict=True))))
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


urlpatterns = [path("explode/", _explode), *build_urlpatterns({"reporter", "staff"})]
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
