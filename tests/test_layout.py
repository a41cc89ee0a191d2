"""The repository's shape: imports point one way, and the grading side's docstrings run.

``src/convbook`` and ``autograder/coursekit`` are read with ``ast`` (every
``import`` and ``from ... import``, at any depth, resolved to the package's own
modules); a cycle in either fails here, naming the modules on it.
"""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGES = {"convbook": ROOT / "src" / "convbook", "coursekit": ROOT / "autograder" / "coursekit"}


def _module_name(package: str, top: Path, path: Path) -> str:
    parts = [package, *path.relative_to(top).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str, top: Path) -> dict[str, set[str]]:
    """{module: modules of ``package`` it imports}, from the sources under ``top``."""
    files = {_module_name(package, top, p): p for p in sorted(top.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        here = name if is_pkg else name.rpartition(".")[0]
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                # "from pkg import sub" imports the submodule pkg.sub when there is one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names]
            for t in targets:
                while t and t not in files:  # "import convbook.plotting.nn" -> the longest module that exists
                    t = t.rpartition(".")[0]
                if t and t != name:
                    edges.add(t)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycles(package):
    graph = import_graph(package, PACKAGES[package])
    assert len(graph) > 5, f"{package}: the walk found too few modules ({sorted(graph)})"
    cycle = find_cycle(graph)
    assert cycle is None, f"import cycle in {package}: {' -> '.join(cycle)}"


def test_the_cycle_check_sees_a_cycle(tmp_path):
    pkg = tmp_path / "demo"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .sub import b  # an import inside a function counts\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("from demo import c\n")
    (pkg / "c.py").write_text("import demo.a\n")
    assert find_cycle(import_graph("demo", pkg)) == ["demo.a", "demo.sub.b", "demo.c", "demo.a"]
    (pkg / "c.py").write_text("import json\n")
    assert find_cycle(import_graph("demo", pkg)) is None


def test_coursekit_layers_point_down():
    """cli -> commands -> libraries -> config -> paths, never upwards."""
    layers = [{"coursekit.cli", "coursekit.__main__"},
              {"coursekit.grade", "coursekit.hub", "coursekit.exchange"}, {"coursekit.release", "coursekit.workspace", "coursekit.lab"},
              {"coursekit.audit", "coursekit.findings", "coursekit.recheck", "coursekit.report", "coursekit.verdicts",
               "coursekit.masters", "coursekit.lessons",
               "coursekit.preprocessors", "coursekit.sandbox", "coursekit._cell_cpu_limit", "coursekit.integrity",
               "coursekit.accounts"},
              {"coursekit.similarity", "coursekit.copies", "coursekit.forbidden", "coursekit._recheck_child",
               "coursekit._recheck_guard", "coursekit.late", "coursekit.roster"},
              {"coursekit.config"}, {"coursekit.paths"}, {"coursekit"}]
    rank = {m: i for i, layer in enumerate(layers) for m in layer}
    graph = import_graph("coursekit", PACKAGES["coursekit"])
    assert set(graph) == set(rank), "a coursekit module is missing from the layer list of this test"
    for module, targets in graph.items():
        for t in targets:
            if t == "coursekit":
                continue
            assert rank[t] >= rank[module], f"{module} imports {t}, which sits above it"


COURSEKIT_MODULES = sorted(_module_name("coursekit", PACKAGES["coursekit"], p)
                           for p in PACKAGES["coursekit"].glob("*.py") if p.stem != "__main__")


@pytest.mark.parametrize("name", COURSEKIT_MODULES)
def test_coursekit_docstrings(name):
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.strip(), f"{name} has no module docstring"
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


SMALL = [ROOT / "src" / "convbook" / "plotting", ROOT / "src" / "convbook" / "widgets",
         ROOT / "src" / "convbook" / "_fft", PACKAGES["coursekit"]]
MAX_LINES = 600


@pytest.mark.parametrize("top", SMALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_figure_widget_and_grading_modules_stay_small(top):
    """A reader finds a figure by its lesson, and reads a grading module or a part of the FFT engine in one sitting."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in top.rglob("*.py")}
    assert sizes, top
    big = {path: n for path, n in sizes.items() if n > MAX_LINES}
    assert not big, f"split these modules where their figures or concerns form units: {big}"
