"""Views parse input and render; they never query a model or write (DESIGN.md, "Layers").

An AST check over every view module of safelight (files named views.py or *_views.py, and every
module of a views/ package): reads go through an app's access.py, writes and audit events through
its actions.py. A violation names the file and the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "safelight"
WRITES = {"save", "delete", "create", "update"}
AUDIT_MODULES = {"safelight.audit.actions", "safelight.audit"}


def view_modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        and (path.name == "views.py" or path.name.endswith("_views.py") or "views" in path.parts)
    )


def _audit_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names under which the module imported audit's `record`, and audit modules' aliases."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in AUDIT_MODULES:
            functions |= {a.asname or a.name for a in node.names if a.name == "record"}
            modules |= {a.asname or a.name for a in node.names if a.name == "actions"}
        elif isinstance(node, ast.ImportFrom) and node.module == "safelight":
            modules |= {a.asname or a.name for a in node.names if a.name == "audit"}
    return functions, modules


def _is_audit_call(func: ast.expr, record_names: set[str], audit_modules: set[str]) -> bool:
    """`record(...)` (audit's, or any function of that name), or `audit.record(...)`."""
    if isinstance(func, ast.Name):
        return func.id in record_names or func.id == "record"
    return (isinstance(func, ast.Attribute) and func.attr == "record"
            and isinstance(func.value, ast.Name) and func.value.id in audit_modules)


def violations(path: Path, source: str | None = None) -> list[str]:
    source = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source, str(path))
    record_names, audit_modules = _audit_names(tree)
    where = path.relative_to(ROOT.parent) if path.is_absolute() else path
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, f"{where}:{node.lineno}: queries a model (.objects); "
                                       "use access.py"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in WRITES:
                found.append((node.lineno, f"{where}:{node.lineno}: writes (.{func.attr}()); "
                                           "use actions.py"))
            elif _is_audit_call(func, record_names, audit_modules):
                found.append((node.lineno, f"{where}:{node.lineno}: writes an audit event; "
                                           "use actions.py"))
    return [message for _line, message in sorted(found)]


def test_it_finds_the_view_modules() -> None:
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    assert "evidence/views/survivor_sharing.py" in names
    assert "accounts/views/staff_sign_in.py" in names
    assert any(name.startswith("cases/views/") for name in names)


def test_it_names_file_and_line_of_a_violation() -> None:
    source = (
        "from safelight.audit.actions import record\n"
        "def view(request):\n"
        "    Report.objects.filter(pk=1)\n"
        "    row.save()\n"
        "    record(action='x')\n"
        "    row.delete()\n"
        "    Thing.objects.create()\n"
        "    qs.update(a=1)\n"
    )
    found = violations(Path("app/views.py"), source)
    assert [line.split(": ")[0] for line in found] == [
        "app/views.py:3", "app/views.py:4", "app/views.py:5", "app/views.py:6",
        "app/views.py:7", "app/views.py:7", "app/views.py:8",
    ]


def test_it_keeps_views_free_of_queries_and_writes() -> None:
    found = [v for path in view_modules() for v in violations(path)]
    assert not found, "views query or write (move to access.py / actions.py):\n" + "\n".join(found)
