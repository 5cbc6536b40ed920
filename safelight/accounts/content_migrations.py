"""What a migration needs to move an existing model's words into a translation table.

django-parler's translation foreign key refuses a master model that does not derive from
TranslatableModelMixin, and a model created before its texts were translatable was recorded in
its first migration without it. `TranslatableBases("Model")`, placed before the CreateModel of the
model's translation table, gives the model's migration state the bases it has now; it changes no
table.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.migrations.operations.base import Operation
from parler.models import TranslatableModelMixin


class TranslatableBases(Operation):
    reduces_to_sql = False
    reversible = True

    def __init__(self, name: str) -> None:
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.name], {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        key = (app_label, self.name.lower())
        state.models[key].bases = (TranslatableModelMixin, models.Model)
        state.reload_model(*key, delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        pass

    def describe(self) -> str:
        return f"Make {self.name} translatable in the migration state"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.name.lower()}_translatable"
