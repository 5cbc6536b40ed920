"""Risk scoring: a plain function of the items, the ticked keys and two thresholds.

No database, no Django: an item is anything with `key`, `weight`, `urgent_alone` and `reason`
(a RiskItem, a dataclass in a test). The rules, in full:

- the score is the sum of the weights of the ticked items (each counted once; keys that are not
  items of the checklist are ignored);
- the priority is "urgent" if any ticked item is urgent on its own or the score reaches
  `urgent_at`, else "elevated" if the score reaches `elevated_at`, else "standard".

Weights are never negative and `1 <= elevated_at <= urgent_at`, so ticking nothing is always
"standard" and ticking more never lowers the priority.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

# The values of safelight.reports.models.Priority (kept here so this module needs no Django).
STANDARD = "standard"
ELEVATED = "elevated"
URGENT = "urgent"
# Lowest first: PRIORITY_ORDER.index(p) grows with the priority.
PRIORITY_ORDER = (STANDARD, ELEVATED, URGENT)


class Item(Protocol):
    key: str
    weight: int
    urgent_alone: bool
    reason: str


@dataclass(frozen=True)
class Reason:
    """A ticked item, as the handler's summary shows it."""

    key: str
    label: str  # the item's handler_label, when it has one
    reason: str
    weight: int
    urgent_alone: bool


@dataclass(frozen=True)
class RiskScore:
    score: int
    priority: str
    # The ticked items, weightiest first: urgent-on-their-own items, then by weight, then in
    # checklist order.
    reasons: list[Reason]

    @property
    def urgent_alone(self) -> bool:
        """Urgent because of an item that is urgent on its own (whatever the sum)."""
        return any(r.urgent_alone for r in self.reasons)


def score(
    items: Iterable[Item], checked_keys: Iterable[str], *, elevated_at: int, urgent_at: int
) -> RiskScore:
    if isinstance(checked_keys, str):
        raise TypeError("checked_keys must be a collection of keys, not one string")
    if not 1 <= elevated_at <= urgent_at:
        raise ValueError(f"need 1 <= elevated_at <= urgent_at, got {elevated_at}, {urgent_at}")
    checked = set(checked_keys)
    seen: set[str] = set()
    ticked: list[Reason] = []
    for item in items:
        if item.key not in checked or item.key in seen:
            continue
        if item.weight < 0:
            raise ValueError(f"item {item.key!r} has a negative weight")
        seen.add(item.key)
        ticked.append(
            Reason(
                key=item.key,
                label=getattr(item, "handler_label", "") or "",
                reason=item.reason,
                weight=item.weight,
                urgent_alone=bool(item.urgent_alone),
            )
        )
    total = sum(r.weight for r in ticked)
    if total >= urgent_at or any(r.urgent_alone for r in ticked):
        priority = URGENT
    elif total >= elevated_at:
        priority = ELEVATED
    else:
        priority = STANDARD
    reasons = sorted(ticked, key=lambda r: (not r.urgent_alone, -r.weight))  # stable
    return RiskScore(score=total, priority=priority, reasons=reasons)


def score_checklist(checklist: Any, checked_keys: Iterable[str]) -> RiskScore:
    """`score` with a RiskChecklist's items (in their order) and thresholds."""
    return score(
        checklist.items.all(),
        checked_keys,
        elevated_at=checklist.elevated_at,
        urgent_at=checklist.urgent_at,
    )
