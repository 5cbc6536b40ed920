"""Directory entries: when an entry counts as stale, and how its fields are kept tidy."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safelight.referrals.models import Category, Service, stale_before
from tests.referrals.conftest import make_service

TODAY = timezone.localdate()


@pytest.mark.parametrize(("last_verified", "stale"), [
    (None, True),
    (TODAY, False),
    (TODAY - datetime.timedelta(days=365), False),
    (TODAY - datetime.timedelta(days=366), True),
    (TODAY - datetime.timedelta(days=1000), True),
])
def test_it_calls_an_entry_stale_after_twelve_months_unverified(organisation, last_verified,
                                                               stale):
    service = make_service(organisation, last_verified=last_verified)
    assert service.stale is stale
    assert Service.objects.stale().filter(pk=service.pk).exists() is stale


def test_it_counts_staleness_from_a_given_day(organisation):
    service = make_service(organisation, last_verified=datetime.date(2025, 3, 1))
    assert not Service.objects.stale(today=datetime.date(2026, 3, 1)).exists()
    assert Service.objects.stale(today=datetime.date(2026, 3, 2)).get() == service
    assert stale_before(datetime.date(2026, 3, 2)) == datetime.date(2025, 3, 2)


def test_it_tidies_languages_regions_and_line_ends(organisation):
    service = make_service(organisation, languages="EN; cy, eng  bsl",
                           regions="  Westmoor \n\n North Dale\n", hours="Mon\r\nTue\r\n")
    assert service.languages == "en, cy, bsl"
    assert service.region_list() == ["Westmoor", "North Dale"]
    assert service.regions == "Westmoor\nNorth Dale"
    assert service.hours == "Mon\nTue"


def test_it_names_languages_and_categories(organisation):
    service = make_service(organisation, languages="cy, bsl, xx",
                           categories=[Category.POLICE, Category.LEGAL])
    assert service.language_names() == ["Welsh", "British Sign Language", "xx"]
    assert service.category_codes() == ["legal", "police"]
    assert service.category_labels() == ["Legal advice", "Police"]


@pytest.mark.parametrize(("field", "value"), [
    ("languages", "english"),
    ("phone", "call us"),
    ("website", "javascript:alert(1)"),
    ("chat_url", "ftp://example.org/chat"),
    ("email", "nobody"),
])
def test_it_refuses_values_that_are_not_what_the_field_holds(organisation, field, value):
    with pytest.raises(ValidationError) as error:
        make_service(organisation, **{field: value})
    assert field in error.value.message_dict
    assert not Service.objects.exists()
