"""Imports run downwards only: every module under ``app/`` is placed in a layer of
``LAYERS`` and may import modules of its own layer or of the layers below it. The table is
the module map of ``docs/conventions.md``; a new package must be placed in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.config import ROOT

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("library", ("app.matching",)),
    ("models", ("app.models",)),
    (
        "kernel",
        (
            "app.config",
            "app.i18n",
            "app.parsing",
            "app.security",
            "app.csrf",
            "app.cookies",
            "app.errors",
            "app.templating",
            "app.versioning",
            "app.concurrency",
        ),
    ),
    ("data", ("app.db", "app.audit", "app.memberships", "app.semesters", "app.mail")),
    ("web", ("app.middleware", "app.forms")),
    ("auth", ("app.auth",)),
    (
        "slices",
        (
            "app.api_tokens",
            "app.catalogue",
            "app.dashboard",
            "app.deliverable_kinds",
            "app.match_settings",
            "app.groups",
            "app.leerkringen",
            "app.notifications",
            "app.opdrachten",
            "app.outcomes",
            "app.pages",
            "app.review",
            "app.runs",
            "app.semester_admin",
            "app.student_import",
            "app.students",
            "app.users",
        ),
    ),
    ("api", ("app.api",)),
    ("entry", ("app.main", "app.asgi", "app.server", "app.demo", "app.ops")),
]

# Sideways ties that the layers allow but the map does not: (importer prefix, imported).
# Besides, no module but app.main imports another package's routes (a router is an entry
# point, not a library), and form helpers and the Post/Redirect/Get helper live in app.forms.
FORBIDDEN: list[tuple[str, str]] = [
    # the worker runs matches; what other modules need of it lives in app.runs.supervision
    ("app.runs.adjust", "app.runs.worker"),
    # a slice's services are its own; what another slice needs is in a shared module
    ("app.semester_admin", "app.dashboard.services"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    return rank


def imports_of(path: Path) -> set[str]:
    """Every ``app`` module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "app")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = (package or module_name(path)).split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "app":
                continue
            if target == "app":
                found.update(f"app.{a.name}" for a in node.names)
            else:
                found.add(target)
    return found


def upward_imports() -> list[str]:
    """``importer -> imported`` for every import that runs back up or sideways where the
    map forbids it."""
    wrong = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        importer = module_name(path)
        if importer == "app":
            continue
        own = layer_of(importer)
        for imported in sorted(imports_of(path)):
            if layer_of(imported) > own:
                wrong.append(f"{importer} -> {imported} (up)")
            for prefix, target in FORBIDDEN:
                starts = importer == prefix or importer.startswith(prefix + ".")
                owner = target.rsplit(".", 1)[0]
                if starts and imported == target and not importer.startswith(owner + "."):
                    wrong.append(f"{importer} -> {imported} (sideways)")
            if (
                _is_routes(imported)
                and importer != "app.main"
                and _package(imported) != (_package(importer))
            ):
                wrong.append(f"{importer} -> {imported} (sideways)")
    return wrong


def _is_routes(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "routes" or last.endswith("_routes")


def _package(module: str) -> str:
    return module.rsplit(".", 1)[0]


@pytest.mark.nodb
def test_every_module_has_a_layer() -> None:
    modules = [module_name(p) for p in (ROOT / "app").rglob("*.py")]
    assert [m for m in modules if m != "app" and layer_of(m) == -1] == []


@pytest.mark.nodb
def test_no_import_runs_back_up() -> None:
    assert upward_imports() == []


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("app.middleware", "app.auth.deps"),
        ("app.models.people", "app.db"),
        ("app.matching.solver", "app.models"),
        ("app.runs.snapshot", "app.api.services"),
    ],
)
def test_the_table_refuses_an_upward_import(importer: str, imported: str) -> None:
    assert layer_of(imported) > layer_of(importer)
