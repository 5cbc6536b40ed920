"""safelight.crypto must import without Django (it is the layer Django code builds on)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "safelight" / "crypto"

CHECK = """
import sys
import safelight.crypto
import safelight.crypto.fields, safelight.crypto.keys, safelight.crypto.oprf
import safelight.crypto.receipts, safelight.crypto.shamir, safelight.crypto.signing
import safelight.crypto.streams
loaded = sorted(m for m in sys.modules if m.split(".")[0].lower().startswith("django"))
print(",".join(loaded))
"""


def test_it_imports_without_loading_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == ""


def test_it_has_no_django_import_statement() -> None:
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.lower().startswith("django") for m in modules), path.name
