"""Reads: the indicator set in force."""

from __future__ import annotations

from safelight.techcheck import indicators as ind
from safelight.techcheck.models import IndicatorSet

# The newest loaded set, converted once per process and kept while it stays the newest.
_cache: dict[int, ind.Indicators] = {}


def current_indicators() -> ind.Indicators:
    """The newest set an administrator loaded, with the dual-use list; else the shipped copy."""
    newest = IndicatorSet.objects.order_by("-loaded_at", "-id").only("id").first()
    if newest is None:
        return ind.shipped()
    cached = _cache.get(newest.pk)
    if cached is not None:
        return cached
    row = IndicatorSet.objects.get(pk=newest.pk)
    result = ind.with_dual_use(ind.Indicators.from_json(
        row.data, name=row.name, version=row.version,
        date=row.published.isoformat() if row.published else "", source=row.source,
        attribution=row.attribution,
    ))
    _cache.clear()
    _cache[row.pk] = result
    return result
