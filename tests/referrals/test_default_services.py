"""The demo directory."""

from safelight.referrals.default_services import DEMO_SERVICES, install_demo_services
from safelight.referrals.models import Category, Service


def test_it_installs_a_demo_service_of_every_kind_once(organisation):
    added = install_demo_services(organisation)
    assert len(added) == len(DEMO_SERVICES) >= 8
    codes = {code for service in added for code in service.category_codes()}
    assert codes == set(Category.values)
    assert Service.objects.stale().exists()  # one entry shows the "not verified" flag
    assert all("(demo)" in service.name for service in added)
    assert all(service.website.endswith(".example.org/") or ".example.org/" in service.website
               for service in added if service.website)

    assert install_demo_services(organisation) == []
    assert Service.objects.count() == len(DEMO_SERVICES)
