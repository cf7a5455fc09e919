"""The package's layers hold: a lower layer never imports a higher one, no import circles, no
imports of our own modules inside functions, and Streamlit only in `ui/` (and the pages).

The imports are read with `ast` from the source, so every import counts: at the top, inside a
function, or under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sostac_control"

# What each part of the package may import (besides itself). The way of an export file to a
# chart runs upwards: formats → ingest → store → engine → views → ui; the CLI sits beside ui.
# Reports gather from views and engine; alerts judge (engine), send and may attach a report.
BASE = {"errors", "catalog", "dbfile", "i18n", "__init__", "workspaces", "access"}
ALLOWED: dict[str, set[str]] = {
    "__init__": set(),
    "errors": set(),
    "dbfile": set(),
    "i18n": set(),
    "catalog": {"i18n"},
    "workspaces": {"errors", "dbfile"},  # the registry: read before `--help`, stdlib only
    "access": {"errors", "dbfile", "workspaces"},  # roles: who may do what in a workspace
    "plan": BASE,
    "formats": BASE,
    "store": BASE,
    "reconcile": BASE,  # every load proves itself: files (ingest) and API fetches (api)
    "ingest_staged": BASE | {"formats", "store", "reconcile"},  # large files read by DuckDB
    "ingest_result": BASE,  # what happened to one file: the `ingest --json` document
    "ingest_read": BASE | {"formats"},  # recognise and read a file without loading it
    "ingest": BASE
    | {"formats", "store", "reconcile", "ingest_staged", "ingest_read", "ingest_result"},
    "api": BASE | {"formats", "store", "reconcile"},
    "engine": BASE | {"plan"},
    "views": BASE | {"plan", "store", "engine"},
    "demo": BASE | {"plan", "formats", "store", "ingest"},
    "reports": BASE | {"plan", "store", "engine", "views"},
    "alerts": BASE | {"plan", "store", "engine", "api", "reports"},
    "cli": BASE
    | {
        "plan",
        "formats",
        "store",
        "reconcile",
        "ingest",
        "api",
        "engine",
        "views",
        "demo",
        "reports",
        "alerts",
    },
    "ui": BASE
    | {"plan", "formats", "store", "reconcile", "ingest", "api", "engine", "views", "demo"},
    "__main__": {"cli"},
}
STREAMLIT_ALLOWED = {"ui"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. sostac_control.views.roi
    target: str  # the imported module, e.g. sostac_control.engine.metrics
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(package: str, name: str) -> str:
    """`from package import name`: the submodule when `name` is one, else the package."""
    candidate = f"{package}.{name}"
    return candidate if candidate in MODULES else package


def imports_of(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(module, alias.name, child.lineno, inside))
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                for alias in child.names:
                    target = (
                        resolve(child.module, alias.name)
                        if child.module.startswith("sostac_control")
                        else child.module
                    )
                    found.append(Import(module, target, child.lineno, inside))
            visit(child, inside)

    visit(tree, False)
    return found


IMPORTS = [imp for module, path in MODULES.items() for imp in imports_of(module, path)]
OWN = [imp for imp in IMPORTS if imp.target.split(".")[0] == "sostac_control"]


def part(module: str) -> str:
    """The layer a module belongs to: sostac_control.views.roi → views."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(ROOT)}:{imp.line} imports {imp.target}"


def test_every_part_of_the_package_has_a_place_in_the_layers() -> None:
    unplaced = sorted({part(m) for m in MODULES} - set(ALLOWED))
    assert unplaced == [], f"add these to ALLOWED in tests/test_layers.py: {unplaced}"


def test_no_layer_imports_a_higher_one() -> None:
    wrong = [
        where(imp)
        for imp in OWN
        if part(imp.target) != part(imp.source)
        and part(imp.target) not in ALLOWED[part(imp.source)]
    ]
    assert wrong == []


def test_no_module_imports_streamlit_outside_ui() -> None:
    wrong = [
        where(imp)
        for imp in IMPORTS
        if imp.target.split(".")[0] == "streamlit" and part(imp.source) not in STREAMLIT_ALLOWED
    ]
    assert wrong == []


def test_no_import_of_our_own_modules_hides_inside_a_function() -> None:
    assert [where(imp) for imp in OWN if imp.in_function] == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_there_is_no_import_circle_between_modules() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in OWN:
        if imp.target in MODULES and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    assert cycles(graph) == []


def test_there_is_no_import_circle_between_layers() -> None:
    graph: dict[str, set[str]] = {}
    for imp in OWN:
        if part(imp.target) != part(imp.source):
            graph.setdefault(part(imp.source), set()).add(part(imp.target))
    assert cycles(graph) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_the_circle_finder_finds_circles_and_only_circles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(graph) == expected


def test_the_import_reader_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from sostac_control.views import roi\n"
        "def f():\n"
        "    import streamlit\n",
        encoding="utf-8",
    )
    found = {(i.target, i.in_function) for i in imports_of("probe", source)}
    assert ("sostac_control.views.roi", False) in found
    assert ("streamlit", True) in found


def test_every_package_says_what_lives_there_and_what_it_may_import() -> None:
    missing = []
    for module, path in MODULES.items():
        if path.name != "__init__.py" or module == "sostac_control":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if "May import" not in doc:
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
