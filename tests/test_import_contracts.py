"""The structure of docs/architecture.md, kept by tests rather than by goodwill (issue 14).

- The import contracts in pyproject.toml ([tool.importlinter]): the layers from the entry points
  down to the case core, the background-task plumbing importing no app, the crypto layer needing
  neither Django nor any app, and view packages not importing one another. `lint-imports` names
  each broken import with its file and line.
- No app imports another app's views: a view belongs to its app's URLs, and what two apps share
  goes in a non-view module. Only the project's URL modules (safelight/urls.py) import views of
  several apps.
- No import of a safelight module inside a function, the usual way a cycle hides, except the few
  named below with their reason.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "safelight"
# Modules allowed to import the views of several apps: they map addresses to views.
URL_MAPS = {"safelight.urls"}
# Inner imports that are there for a reason other than a cycle (module: reason).
ALLOWED_INNER: dict[str, str] = {}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imported(module: str, node: ast.Import | ast.ImportFrom, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def _is_views(name: str) -> bool:
    last = name.split(".")
    return any(part == "views" or part.endswith("_views") for part in last[2:])


def _app(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2])


def test_the_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed (pyproject.toml, test dependencies)"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_app_imports_another_apps_views():
    found = []
    for module, path in _modules():
        if module in URL_MAPS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _imported(module, node, path.name == "__init__.py"):
                if (target.startswith("safelight.") and _is_views(target)
                        and _app(target) != _app(module)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports {target}")
    assert not found, "\n".join(sorted(set(found)))


def test_no_safelight_import_hides_inside_a_function():
    found = []
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                    t == "safelight" or t.startswith("safelight.")
                    for t in _imported(module, node, path.name == "__init__.py")
                ) and module not in ALLOWED_INNER:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "imports inside functions:\n" + "\n".join(found)
