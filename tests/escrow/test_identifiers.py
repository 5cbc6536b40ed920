"""Identifier canonicalisation (safelight.escrow.identifiers), table-driven.

The table, tests/escrow/data/identifier_cases.json, is the contract: the browser's
identifiers.js must give the same answers (tests/browser/test_escrow_identifiers_js.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safelight.escrow.identifiers import (
    ERROR_MESSAGES,
    KINDS,
    SERVICE_LABELS,
    InvalidIdentifier,
    canonicalise,
    load_services,
)

TABLE = Path(__file__).parent / "data" / "identifier_cases.json"
GROUPS = json.loads(TABLE.read_text(encoding="utf-8"))["groups"]
KIND_CODES = [code for code, _label in KINDS]
SERVICES = load_services()


def flatten(groups):
    """One case per input: (kind, region, text, expected canonical or None, error, other)."""
    return [
        (
            g["kind"],
            g.get("region", ""),
            text,
            g.get("canonical"),
            g.get("error"),
            g.get("other", ""),
        )
        for g in groups
        for text in g["inputs"]
    ]


def case_id(case) -> str:
    kind, region, text, canonical, error, _other = case
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f"{kind or '-'}{'/' + region if region else ''}:{shown!r}->{canonical or error}"


CASES = flatten(GROUPS)
SEEDS = [(kind, region, text) for kind, region, text, *_rest in CASES if kind in KIND_CODES]


def outcome(kind: str, text: str, region: str = "") -> dict[str, str]:
    """What the Python side says, in the shape the browser test compares."""
    try:
        return {"ok": canonicalise(kind, text, default_region=region)}
    except InvalidIdentifier as error:
        return {"error": error.code, "other": error.other}


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_it_canonicalises_every_case_of_the_table(case):
    kind, region, text, canonical, error, other = case
    if canonical is not None:
        assert canonicalise(kind, text, default_region=region) == canonical
    else:
        with pytest.raises(InvalidIdentifier) as raised:
            canonicalise(kind, text, default_region=region)
        assert raised.value.code == error
        assert raised.value.other == other


def test_it_has_valid_variant_and_invalid_cases_for_every_kind():
    for kind in KIND_CODES:
        valid = [g for g in GROUPS if g["kind"] == kind and "canonical" in g]
        invalid = [g for g in GROUPS if g["kind"] == kind and "error" in g]
        assert valid, kind
        assert any(len(g["inputs"]) > 1 for g in valid), f"{kind}: no spelling variants"
        assert invalid, kind


def test_it_covers_the_spellings_the_issue_names():
    same = {
        text
        for g in GROUPS
        if g.get("canonical") == "instagram:some.user"
        for text in g["inputs"]
    }
    assert {
        "https://www.instagram.com/Some.User/?igshid=abc",
        "@some.user",
        "instagram.com/some.user",
        "https://m.instagram.com/some.user",
    } <= same


def test_it_lists_the_kinds_for_the_reporters_choice_in_order():
    assert KIND_CODES == [
        "email",
        "phone",
        "instagram",
        "facebook",
        "x",
        "tiktok",
        "snapchat",
        "linkedin",
        "reddit",
        "discord",
        "telegram",
        "youtube",
        "internal",
    ]
    assert all(str(label) for _code, label in KINDS)


def test_it_keeps_the_labels_in_step_with_services_json():
    names = {s["code"]: s["name"] for s in SERVICES["services"]}
    assert list(names) == list(SERVICE_LABELS)
    with translation.override("en"):
        assert {code: str(label) for code, label in SERVICE_LABELS.items()} == names


def test_it_uses_only_patterns_that_python_and_javascript_read_alike():
    shorthand = re.compile(r"\\[dDwWsSbBpP]")
    for service in SERVICES["services"]:
        patterns = [v["pattern"] for v in service["values"].values()]
        patterns += [service["subdomain_pattern"]] if "subdomain_pattern" in service else []
        for pattern in patterns:
            assert not shorthand.search(pattern), (service["code"], pattern)
            re.compile(pattern)
        for name in service["bare"]:
            assert name in service["values"]
        for route in service["routes"]:
            assert "error" in route or _route_value(route) in service["values"], route


def _route_value(route) -> str:
    if "query" in route:
        return route["value"]
    part = next(p for p in route["path"] if "{" in p)
    return part[part.index("{") + 1 : -1]


def test_it_has_a_message_for_every_error_code():
    codes = {g["error"] for g in GROUPS if "error" in g}
    codes |= {r["error"] for s in SERVICES["services"] for r in s["routes"] if "error" in r}
    assert codes <= set(ERROR_MESSAGES)
    with translation.override("en"):
        for code in ERROR_MESSAGES:
            message = InvalidIdentifier(code, service="instagram", other="tiktok").message
            assert "%(" not in message and message.endswith(".")


def test_it_names_the_service_a_link_belongs_to():
    with pytest.raises(InvalidIdentifier) as raised:
        canonicalise("instagram", "https://www.tiktok.com/@some.user")
    with translation.override("en"):
        assert raised.value.message == (
            "This looks like a TikTok link. To name a TikTok account, choose TikTok in the list."
        )


def test_it_never_carries_the_identifier_in_the_exception():
    secret = "Secret.Person.Name"
    for kind in KIND_CODES:
        for text in (secret, f"https://example.org/{secret}", f"{secret} <{secret}>"):
            try:
                canonicalise(kind, text)
            except InvalidIdentifier as error:
                shown = f"{error} {error!r} {error.args} {error.message}".lower()
                assert secret.lower() not in shown


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    kind=st.one_of(st.sampled_from(KIND_CODES), st.text(max_size=12)),
    text=st.text(max_size=300),
    region=st.sampled_from(["", "GB", "US", "de", "XX", "001", " gb "]),
)
def test_it_raises_nothing_but_invalid_identifier_on_any_text(kind, text, region):
    try:
        result = canonicalise(kind, text, default_region=region)
    except InvalidIdentifier as error:
        assert error.code in ERROR_MESSAGES
    else:
        assert result.split(":", 1)[0].split("-", 1)[0] == kind


@st.composite
def spellings(draw):
    """A spelling from the table, often with something typed into it."""
    kind, region, text = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=4)) + text[at:]
    return kind, region, text


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(spellings())
def test_it_gives_the_same_answer_again_for_its_own_value(spelling):
    kind, region, text = spelling
    try:
        first = canonicalise(kind, text, default_region=region)
    except InvalidIdentifier:
        return
    value = first.split(":", 1)[1]
    # A service's value is a name, spelt with the "@" people write before one (a bare name that
    # happens to be a host name, such as Instagram's "x.com", would otherwise read as a link).
    again = "@" + value if kind in SERVICE_LABELS else value
    assert canonicalise(kind, again, default_region=region) == first
