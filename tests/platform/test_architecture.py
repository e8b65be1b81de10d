"""The direction of imports (docs/architecture.md): capability apps may use the foundation
(``core``, ``audit``, ``accounts``, ``people``, ``federation``); the foundation never imports a
capability app, it offers hooks and registries instead. ``matching`` is the engine: no Django."""

from __future__ import annotations

import ast
from pathlib import Path

import corridor

SRC = Path(corridor.__file__).resolve().parent
FOUNDATION = ("core", "audit", "accounts", "people", "federation")
CAPABILITIES = (
    "cases",
    "childcare",
    "referrals",
    "tracing",
    "screening",
    "intel",
    "flows",
    "reports",
    "intake",
    "justice",
    "governance",
    "fieldwork",
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def violations() -> set[tuple[str, str]]:
    found = set()
    for app in FOUNDATION:
        for path in (SRC / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in imported_modules(path):
                parts = module.split(".")
                if parts[0] == "corridor" and len(parts) > 1 and parts[1] in CAPABILITIES:
                    found.add((path.relative_to(SRC).as_posix(), module))
    return found


def test_the_foundation_never_imports_a_capability_app():
    new = violations()
    assert not new, "foundation modules importing capability apps:\n" + "\n".join(
        f"{file}: {module}" for file, module in sorted(new)
    )


def test_the_matching_engine_does_not_import_django():
    for path in (SRC / "matching").rglob("*.py"):
        django = {m for m in imported_modules(path) if m.split(".")[0] == "django"}
        assert not django, f"{path.relative_to(SRC)} imports {django}"
