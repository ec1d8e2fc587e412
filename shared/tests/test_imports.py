"""The shared library's imports: no cycles, and nothing of the services or the dev tools
(and no cycles in the dev tools either).

Read from the source (every import statement, also those inside functions), not from
what happens to be imported at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from integriteit_shared.service import service_names

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "shared" / "src"
DEV_SRC = REPO / "dev" / "src"
PACKAGE = "integriteit_shared"


def _module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str, modules: set[str]) -> set[str]:
    """Every module `path` imports, as dotted names (relative imports resolved). As in
    grimp, `from package import submodule` imports the submodule; that Python runs the
    package's __init__ first is left out, or every re-exporting __init__ were a cycle."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return found


def _files(src: Path = SRC) -> dict[str, Path]:
    return {_module_name(p, src): p for p in src.rglob("*.py")}


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    files = _files(src)
    return {
        module: {m for m in _imports(path, module, set(files)) if m in files and m != module}
        for module, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_graph_has_the_lazy_imports_too() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.db.session" in graph[f"{PACKAGE}.cli"]  # imported inside a function


@pytest.mark.parametrize("src", [SRC, DEV_SRC], ids=["shared", "dev"])
def test_no_import_cycle(src: Path) -> None:
    assert cycles(import_graph(src)) == []


def test_the_shared_library_imports_no_service_and_no_dev_tool() -> None:
    services = set(service_names())
    assert services  # the check below means something only when they are installed
    # the dev tools are not installed in production; the shared library is
    forbidden = {*services, "integriteit_dev"}
    files = _files()
    offending = {
        (module, imported)
        for module, path in files.items()
        for imported in _imports(path, module, set(files))
        if imported.split(".")[0] in forbidden
    }
    assert offending == set()
