"""Reads of the directory: only listed entries, only the organisation's own."""

from safelight.referrals import access
from safelight.referrals.models import Category


def test_it_lists_an_organisation_s_listed_services_by_name(
        organisation, counselling, law_line, unlisted, foreign_service):
    services = list(access.services_for_organisation(organisation))
    assert services == [law_line, counselling]


def test_it_gives_services_by_id_in_order_and_ignores_others(
        organisation, counselling, law_line, unlisted, foreign_service):
    ids = [str(law_line.pk), counselling.pk, foreign_service.pk, unlisted.pk, "nonsense", None,
           law_line.pk, 999_999]
    assert access.services_by_ids(organisation, ids) == [law_line, counselling]
    assert access.services_by_ids(organisation, []) == []


def test_it_searches_words_in_name_description_and_places(organisation, counselling, law_line):
    assert list(access.search_services(organisation, text="legal")) == [law_line]
    assert list(access.search_services(organisation, text="north dale")) == [counselling]
    assert list(access.search_services(organisation, text="HARBOUR trust")) == [counselling]
    assert list(access.search_services(organisation, text="unicorn")) == []


def test_it_filters_by_category(organisation, counselling, law_line, national_helpline):
    found = access.search_services(organisation, category=Category.MENTAL_HEALTH)
    assert list(found) == [counselling, national_helpline]


def test_it_counts_a_service_without_places_as_everywhere(
        organisation, counselling, law_line, national_helpline):
    assert list(access.search_services(organisation, region="North Dale")) == [
        counselling, national_helpline]


def test_it_filters_by_whole_language_codes(organisation, counselling, law_line,
                                            national_helpline):
    assert list(access.search_services(organisation, language="pl")) == [law_line]
    assert list(access.search_services(organisation, language="bsl")) == [counselling]
    assert list(access.search_services(organisation, language="b")) == []
    assert list(access.search_services(organisation, language="e.*")) == []
    assert len(access.search_services(organisation, language="EN")) == 3


def test_it_offers_the_places_and_languages_of_listed_services(
        organisation, counselling, law_line, unlisted, foreign_service):
    unlisted.regions = "Hidden Town"
    unlisted.save()
    assert access.regions_of(organisation) == ["North Dale", "Westmoor"]
    assert access.languages_of(organisation) == ["bsl", "cy", "en", "pl"]
