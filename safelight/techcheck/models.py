"""The indicator sets an administrator loaded (`safelight techcheck_load_indicators`).

The newest one is used; without any, the copy shipped in `data/` is. A set keeps its name,
version, date, source and attribution, which every result shows, and the indicators themselves
in the plain JSON form of `indicators.Indicators.to_json` (public data, nothing of a person).
"""

from __future__ import annotations

from django.db import models


class IndicatorSet(models.Model):
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=100)
    published = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)
    attribution = models.CharField(max_length=500)
    loaded_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField()

    objects: models.Manager[IndicatorSet] = models.Manager()

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = ["loaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
