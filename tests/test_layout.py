"""The layout's rules, checked on the source: what may import what, no cycles, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORE = ROOT / "luna_core"
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
CORE_FILES = sorted(CORE.rglob("*.py"))
STORAGE_AND_MODEL_LIBS = {"duckdb", "hnswlib", "sentence_transformers", "ollama"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules ``path`` imports; with ``top_level_only``, those imported when it is loaded (not inside
    functions or ``if TYPE_CHECKING``), i.e. the ones that can form an import cycle."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in CORE_FILES
                 if any(name.split(".")[0] == "streamlit" for name in imports(p))]
    assert offenders == []


def test_pages_never_import_storage_or_model_libraries_directly():
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imports(p) if n.split(".")[0] in STORAGE_AND_MODEL_LIBS)
                 for p in UI_FILES}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycles_between_core_modules():
    known = {module_name(p): p for p in CORE_FILES}
    graph = {name: {m for m in imports(path, top_level_only=True) if m in known and m != name}
             for name, path in known.items()}
    # a package's own __init__ importing its modules is how it exports them, not a cycle
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return trail + [node, nxt]
            if nxt not in state and (cycle := visit(nxt, trail + [node])):
                return cycle
        state[node] = 2
        return None

    cycles = [cycle for name in sorted(graph) if name not in state and (cycle := visit(name, []))]
    assert cycles == []


@pytest.mark.parametrize("path", CORE_FILES + UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_every_core_package_says_what_it_owns():
    packages = [p for p in CORE_FILES if p.name == "__init__.py" and p.parent != CORE]
    assert len(packages) >= 6
    assert [str(p.relative_to(ROOT)) for p in packages if not ast.get_docstring(ast.parse(p.read_text()))] == []
