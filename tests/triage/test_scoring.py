"""The score: a plain function, checked by table and by property (no database)."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelight.triage import scoring
from safelight.triage.scoring import ELEVATED, PRIORITY_ORDER, STANDARD, URGENT, score


@dataclass(frozen=True)
class Item:
    key: str
    weight: int
    urgent_alone: bool = False
    reason: str = ""


ITEMS = [
    Item("passwords", 2, reason="account access"),
    Item("shared_plan", 1, reason="account holder sees logs"),
    Item("location", 4, reason="followed or spied on"),
    Item("threats", 6, urgent_alone=True, reason="threats to kill"),
    Item("escalation", 4, reason="getting worse"),
]


@pytest.mark.parametrize(
    ("checked", "total", "priority"),
    [
        ([], 0, STANDARD),
        (["shared_plan"], 1, STANDARD),
        (["passwords"], 2, STANDARD),  # one below elevated
        (["passwords", "shared_plan"], 3, ELEVATED),  # exactly elevated
        (["location"], 4, ELEVATED),
        (["location", "passwords", "shared_plan"], 7, ELEVATED),  # one below urgent
        (["location", "escalation"], 8, URGENT),  # exactly urgent
        (["location", "escalation", "passwords", "shared_plan"], 11, URGENT),
        (["threats"], 6, URGENT),  # urgent on its own, below the threshold
    ],
)
def test_it_scores_the_table(checked, total, priority):
    result = score(ITEMS, checked, elevated_at=3, urgent_at=8)
    assert result.score == total
    assert result.priority == priority
    assert {r.key for r in result.reasons} == set(checked)


def test_it_ignores_unknown_and_repeated_keys():
    result = score(ITEMS, ["location", "location", "no-such-item", ""], elevated_at=3, urgent_at=8)
    assert result.score == 4
    assert [r.key for r in result.reasons] == ["location"]


def test_it_gives_standard_for_nothing_checked_and_for_no_items():
    assert score(ITEMS, [], elevated_at=1, urgent_at=1).priority == STANDARD
    assert score([], ["threats"], elevated_at=1, urgent_at=1) == scoring.RiskScore(0, STANDARD, [])


def test_it_makes_an_urgent_alone_item_urgent_even_with_weight_zero():
    items = [Item("threats", 0, urgent_alone=True, reason="threats to kill")]
    result = score(items, ["threats"], elevated_at=5, urgent_at=10)
    assert result.score == 0
    assert result.priority == URGENT
    assert result.urgent_alone


def test_it_lists_reasons_weightiest_first_with_urgent_alone_items_on_top():
    result = score(ITEMS, ["shared_plan", "passwords", "escalation", "threats", "location"],
                   elevated_at=3, urgent_at=8)
    assert [r.key for r in result.reasons] == [
        "threats", "location", "escalation", "passwords", "shared_plan"
    ]
    top = result.reasons[0]
    assert (top.reason, top.weight, top.urgent_alone) == ("threats to kill", 6, True)


def test_it_takes_the_handler_label_when_the_item_has_one():
    @dataclass(frozen=True)
    class Labelled(Item):
        handler_label: str = ""

    result = score([Labelled("a", 1, reason="r", handler_label="Label A")], ["a"],
                   elevated_at=1, urgent_at=2)
    assert result.reasons[0].label == "Label A"
    assert score([Item("a", 1)], ["a"], elevated_at=1, urgent_at=2).reasons[0].label == ""


@pytest.mark.parametrize(("elevated_at", "urgent_at"), [(0, 5), (6, 5), (-1, -1)])
def test_it_refuses_thresholds_out_of_order(elevated_at, urgent_at):
    with pytest.raises(ValueError):
        score(ITEMS, [], elevated_at=elevated_at, urgent_at=urgent_at)


def test_it_refuses_a_negative_weight_and_a_bare_string():
    with pytest.raises(ValueError, match="negative"):
        score([Item("a", -1)], ["a"], elevated_at=1, urgent_at=2)
    with pytest.raises(TypeError):
        score(ITEMS, "location", elevated_at=1, urgent_at=2)


# Properties -----------------------------------------------------------------------------------

keys = st.text(alphabet="abcdefgh_", min_size=1, max_size=6)


@st.composite
def checklists(draw):
    names = draw(st.lists(keys, unique=True, max_size=12))
    items = [
        Item(name, draw(st.integers(0, 20)), draw(st.booleans()), reason=f"because {name}")
        for name in names
    ]
    elevated_at = draw(st.integers(1, 40))
    urgent_at = draw(st.integers(elevated_at, 60))
    return items, elevated_at, urgent_at


@st.composite
def checklist_and_nested_ticks(draw):
    items, elevated_at, urgent_at = draw(checklists())
    names = [item.key for item in items] + ["unknown"]
    more = draw(st.sets(st.sampled_from(names)))
    fewer = draw(st.sets(st.sampled_from(sorted(more)))) if more else set()
    return items, elevated_at, urgent_at, fewer, more


@given(checklist_and_nested_ticks())
def test_it_never_lowers_the_priority_when_more_is_checked(case):
    items, elevated_at, urgent_at, fewer, more = case
    low = score(items, fewer, elevated_at=elevated_at, urgent_at=urgent_at)
    high = score(items, more, elevated_at=elevated_at, urgent_at=urgent_at)
    assert high.score >= low.score
    assert PRIORITY_ORDER.index(high.priority) >= PRIORITY_ORDER.index(low.priority)


@given(checklists(), st.data())
def test_it_sums_the_checked_weights_and_follows_the_thresholds(checklist, data):
    items, elevated_at, urgent_at = checklist
    ticked = data.draw(st.sets(st.sampled_from([i.key for i in items]))) if items else set()
    result = score(items, ticked, elevated_at=elevated_at, urgent_at=urgent_at)
    chosen = [i for i in items if i.key in ticked]
    assert result.score == sum(i.weight for i in chosen)
    if any(i.urgent_alone for i in chosen) or result.score >= urgent_at:
        assert result.priority == URGENT
    elif result.score >= elevated_at:
        assert result.priority == ELEVATED
    else:
        assert result.priority == STANDARD
    assert sorted(r.key for r in result.reasons) == sorted(ticked)


def test_it_uses_the_same_words_as_the_report_priority():
    from safelight.reports.models import Priority

    assert list(PRIORITY_ORDER) == [Priority.STANDARD, Priority.ELEVATED, Priority.URGENT]
