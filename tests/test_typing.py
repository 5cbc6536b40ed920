"""The typing gate: mypy over safelight.crypto in strict mode, and no private standard library.

safelight.crypto is checked exactly as `mypy --strict safelight/crypto` checks it. That run reads
no configuration file, so it loads no Django plugin and can run inside the test process. The
runs that read pyproject.toml load django-stubs' plugin, which sets Django up again from the
settings module; inside pytest that would undo the test environment (the locmem outbox, for
one), so they run mypy in a process of its own.

The second check keeps the code on the standard library's public API: a private module such as
`re._parser` can change in any Python release without notice.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "safelight"


def _mypy_in_a_process(cache: Path, *targets: str) -> tuple[str, int]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *targets],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    return result.stdout + result.stderr, result.returncode


def test_crypto_passes_mypy_strict(tmp_path: Path) -> None:
    report, errors, status = api.run([
        "--strict", "--config-file", "", "--python-version", "3.11",
        "--cache-dir", str(tmp_path), str(PACKAGE / "crypto"),
    ])
    print(report, errors)
    assert status == 0, report + errors


def test_crypto_passes_the_configured_check(tmp_path: Path) -> None:
    # `mypy safelight/crypto` as a developer runs it: pyproject.toml's strict flags for crypto.
    report, status = _mypy_in_a_process(tmp_path, "safelight/crypto")
    print(report)
    assert status == 0, report


def test_mypy_whole_project(tmp_path: Path) -> None:
    report, status = _mypy_in_a_process(tmp_path, "safelight")
    print(report)
    assert status == 0, report


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_stdlib_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for each import of a private standard-library module or name: `import _x`,
    `import x._y`, `from x._y import z` and `from x import _y`, where x is in the standard
    library. Dunder names (`__future__`) are public."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
            names: list[str] = []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            names = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] not in sys.stdlib_module_names:
                continue
            if any(_private(part) for part in parts):
                found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{n}") for n in names if _private(n))
    return found


def test_the_check_finds_private_standard_library_imports() -> None:
    source = (
        "import re._parser\nfrom re import _constants, compile\nfrom re._parser import parse\n"
        "import _thread\nfrom __future__ import annotations\nimport re, os.path\n"
        "from django.utils import _os\nfrom . import _sodium\nfrom typing import Any\n"
    )
    assert private_stdlib_imports(ast.parse(source)) == [
        (1, "re._parser"), (2, "re._constants"), (3, "re._parser"), (4, "_thread"),
    ]


def test_no_module_imports_a_private_standard_library_module() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, what in private_stdlib_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == [], "private standard-library imports:\n" + "\n".join(found)
