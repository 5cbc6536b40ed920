"""Writes: recording a newer indicator set."""

from __future__ import annotations

import datetime

from django.db import transaction

from safelight.audit.actions import record
from safelight.techcheck import indicators as ind
from safelight.techcheck.models import IndicatorSet


@transaction.atomic
def load_indicator_set(*, indicators: ind.Indicators,
                       published: datetime.date | None) -> IndicatorSet:
    """Stores a set read from Echap's YAML or a STIX bundle; it is in force from now on."""
    row = IndicatorSet.objects.create(
        name=indicators.name[:200], version=indicators.version[:100], published=published,
        source=indicators.source[:500], attribution=indicators.attribution[:500],
        data=indicators.to_json(),
    )
    record(action="techcheck.indicators_load", target=row)
    return row
