"""Translation checks (issue 15): the catalogues, and a pseudo-locale over every public page."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "translations.py"


@cache
def translations_script() -> ModuleType:
    """scripts/translations.py (a script, not a package), imported once."""
    spec = importlib.util.spec_from_file_location("safelight_translations_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
