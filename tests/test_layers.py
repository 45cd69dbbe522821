"""The layers, read from the source with ``ast``: the command line stands on the API,
the API on the core, and the core on nothing above it.

Every import counts, wherever it is: at the top of a module, inside a function, or in
an ``if TYPE_CHECKING:`` block.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import campaign_guard

PACKAGE = Path(campaign_guard.__file__).parent
ROOT = "campaign_guard"
FOUNDATION = {"campaign_guard.errors", "campaign_guard.safe_text"}
"""Modules every layer may import: the exception root and the text escaping."""
UI_PACKAGES = ("typer", "rich", "click")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (a ``from X import y`` counts as
    ``X.y`` too, since ``y`` may be a submodule)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def own(imported: str, known: dict[str, Path]) -> str | None:
    """The campaign_guard module ``imported`` names (None: a name, not a module)."""
    return imported if imported in known else None


KNOWN = modules()
GRAPH = {
    name: {m for i in imports(path) if (m := own(i, KNOWN)) is not None and m != name}
    for name, path in KNOWN.items()
}


def layer(name: str) -> str:
    if name == ROOT:
        return "root"
    if name == f"{ROOT}.api":
        return "api"
    if name == f"{ROOT}.cli" or name.startswith(f"{ROOT}.cli."):
        return "cli"
    if name == f"{ROOT}.__main__":
        return "main"
    return "core"


def node(name: str) -> str:
    """The package graph's node: a subpackage of campaign_guard, or a top-level module."""
    return name.split(".")[1] if "." in name else name


def test_the_walk_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    seen = GRAPH[f"{ROOT}.cli.submit"]
    assert f"{ROOT}.api" in seen  # inside the command's function
    assert f"{ROOT}.cli.boundary" in seen  # at the top
    assert f"{ROOT}.lint.findings" in GRAPH[f"{ROOT}.api"]  # in an if TYPE_CHECKING block


@pytest.mark.parametrize("name", sorted(n for n in KNOWN if layer(n) == "cli"))
def test_the_command_line_imports_only_the_api(name: str) -> None:
    allowed = {ROOT, f"{ROOT}.api", *FOUNDATION}
    wrong = sorted(m for m in GRAPH[name] if layer(m) == "core" and m not in allowed)
    assert wrong == [], f"{name} imports core modules; add what it needs to campaign_guard.api"


@pytest.mark.parametrize("name", sorted(n for n in KNOWN if layer(n) == "core"))
def test_the_core_imports_no_user_interface(name: str) -> None:
    found = list(imports(KNOWN[name]))
    ui = sorted({i for i in found if i.split(".")[0] in UI_PACKAGES})
    assert ui == [], f"{name} imports {ui}: the core never prints"
    above = sorted(m for m in GRAPH[name] if layer(m) in ("cli", "api", "main"))
    assert above == [], f"{name} imports {above}: the core is below the API and the CLI"


def test_the_api_imports_only_the_core() -> None:
    above = sorted(m for m in GRAPH[f"{ROOT}.api"] if layer(m) in ("cli", "main"))
    assert above == []


def package_cycles() -> set[frozenset[str]]:
    """Each pair of core nodes that reach each other (a cycle passes through such a pair)."""
    edges: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        if layer(name) != "core":
            continue
        for target in targets:
            if layer(target) == "core" and node(target) != node(name):
                edges.setdefault(node(name), set()).add(node(target))

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {n: reach(n) for n in edges}
    return {
        frozenset({a, b})
        for a in reached
        for b in reached[a]
        if a != b and a in reached.get(b, set())
    }


def test_no_cycles_between_packages() -> None:
    assert package_cycles() == set()


def test_the_cycle_check_finds_a_cycle() -> None:
    GRAPH[f"{ROOT}.errors"].add(f"{ROOT}.plan")  # errors → plan → … → errors
    try:
        assert frozenset({"errors", "plan"}) in package_cycles()
    finally:
        GRAPH[f"{ROOT}.errors"].discard(f"{ROOT}.plan")
