"""The HSDS service reader never fails on what it is given: it returns data or says why not."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safelight.referrals.hsds import InvalidItem, ServiceData, service_from_hsds

KEYS = [
    "id", "name", "description", "url", "email", "status", "assured_date", "organization",
    "phones", "additional_urls", "schedules", "service_areas", "languages",
    "service_at_locations", "attributes", "eligibility_description", "fees_description",
    "accessibility", "location", "taxonomy_term", "taxonomy", "taxonomy_detail", "code",
    "number", "type", "label", "byday", "opens_at", "closes_at", "details", "taxonomy_id",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["active", "voice", "text", "Chat", "en", "legal", "2025-01-01",
                       "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=12) | json_values)
def test_it_reads_any_json_value_or_says_why_not(item):
    try:
        data = service_from_hsds(item)
    except InvalidItem as exc:
        assert str(exc)
    else:
        assert isinstance(data, ServiceData) and data.name
        assert all(isinstance(note, str) for note in data.notes)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=12))
def test_it_reads_any_details_of_a_named_service_or_says_why_not(details):
    item = {**details, "id": "0b8e8d7e-0c43-4a8a-9c55-2b5f0d0f6a11", "name": "Alpha",
            "status": "active"}
    try:
        data = service_from_hsds(item)
    except InvalidItem as exc:
        assert str(exc)
    else:
        assert data.name == "Alpha"
