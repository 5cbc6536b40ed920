"""SAFELIGHT_INTERFACES chooses which side a process serves; the other side's URLs are absent."""

import pytest
from django.urls import Resolver404, URLResolver, get_resolver

from safelight.urls import build_urlpatterns


def _resolves(patterns, path):
    resolver = URLResolver(get_resolver().pattern, patterns)
    try:
        resolver.resolve(path)
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize(
    ("interfaces", "reporter", "staff"),
    [
        ({"reporter", "staff"}, True, True),
        ({"reporter"}, True, False),
        ({"staff"}, False, True),
    ],
)
def test_it_serves_only_the_chosen_interfaces(interfaces, reporter, staff):
    patterns = build_urlpatterns(interfaces)
    assert _resolves(patterns, "/acme/") is reporter
    assert _resolves(patterns, "/help/safety/") is reporter
    assert _resolves(patterns, "/staff/admin/") is staff
    assert _resolves(patterns, "/staff/admin/login/") is staff


def test_it_does_not_let_an_organisation_address_shadow_the_staff_side():
    patterns = build_urlpatterns({"reporter", "staff"})
    resolver = URLResolver(get_resolver().pattern, patterns)
    assert resolver.resolve("/staff/").view_name == "accounts:home"


@pytest.mark.parametrize(
    ("interfaces", "key_service"),
    [({"keyservice"}, True), ({"reporter", "staff"}, False), ({"reporter"}, False)],
)
def test_it_serves_the_key_service_only_in_a_key_service_process(interfaces, key_service):
    patterns = build_urlpatterns(interfaces)
    assert _resolves(patterns, "/keyservice/evaluate") is key_service
    if key_service:  # and nothing else: no reporter or staff page, not even the admin
        for path in ("/acme/", "/help/safety/", "/staff/", "/staff/admin/", "/keyservice/"):
            assert not _resolves(patterns, path)
