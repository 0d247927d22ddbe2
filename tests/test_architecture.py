"""The house's plan, checked on every import: floors only point down, and nothing imports in a circle.

Every ``import`` and ``from … import`` in every module under dialogs/, exporters/ and bot/ counts, those under
``if TYPE_CHECKING:`` and those inside functions included: a circle hidden from the interpreter still ties
the modules together for a reader, and a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dialogs", "exporters", "bot")

# lowest first: a module may import its own room and the rooms before it, never one after
ROOMS: tuple[tuple[str, ...], ...] = (
    ("dialogs",),
    ("exporters",),
    ("bot.settings", "bot.redaction", "bot.storage"),
    ("bot.disk", "bot.reading"),
    ("bot.usecases",),
    ("bot.channels",),
    ("bot.app", "bot.serve"),
    ("bot.cli", "bot.__main__"),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The project's modules that ``name`` imports (``from pkg import mod`` resolves to ``pkg.mod``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a name inside a module
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: set(imported(name, path, known)) for name, path in found.items()}


def room(name: str) -> int:
    for rank, prefixes in enumerate(ROOMS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{name} has no room in ROOMS: add it where it belongs")


def test_every_module_has_a_room() -> None:
    for name in graph():
        if name != "bot":  # the package itself holds only the plan in its docstring
            room(name)


def test_no_import_points_up() -> None:
    upward = [
        f"{name} → {target}"
        for name, targets in graph().items()
        if name != "bot"
        for target in targets
        if target != "bot" and room(target) > room(name)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    edges = graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert circles == []


def test_the_graph_sees_type_checking_and_lazy_imports(tmp_path: Path) -> None:
    """The walker itself: an arrow under TYPE_CHECKING or inside a function is an arrow."""
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.app import App\n"
        "def f():\n    from bot.cli import main\n",
        encoding="utf-8",
    )
    known = {"bot.app", "bot.cli", "bot.cli.main", "dialogs.x"}
    assert set(imported("dialogs.x", source, known)) == {"bot.app", "bot.cli.main"}


@pytest.mark.parametrize(
    "room_docstring", ["bot", "bot.disk", "bot.reading", "bot.usecases", "bot.cli", "bot.channels"]
)
def test_each_room_says_what_it_may_import(room_docstring: str) -> None:
    path = ROOT / Path(*room_docstring.split(".")) / "__init__.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert "import" in doc.lower(), f"{room_docstring}/__init__.py should say what it may import"


def test_moved_names_still_reach_their_modules() -> None:
    """Names given as strings or in packaging: the pool's preload, the entry point, the packaged data."""
    import importlib
    import tomllib

    from bot.disk import forkserver, pool

    for name in [*pool.EXPORTERS, *forkserver.PRELOAD]:
        importlib.import_module(name)  # the pool's preload ignores import errors: fail here instead
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, attribute = project["project"]["scripts"]["casebot"].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    for package, patterns in project["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / Path(*package.split("."))
        assert all(list(folder.glob(pattern)) for pattern in patterns), package
