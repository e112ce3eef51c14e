"""The package's imports keep ARCHITECTURE.md's picture true: no arrow back up the stages, no import circle.

Every module of ``pipeline/`` is read with ``ast`` (imports inside functions and ``TYPE_CHECKING`` blocks count:
they are dependencies all the same), and each import is resolved to the module it names.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "pipeline"

STAGES = [
    (
        "pipeline",
        "pipeline.errors",
        "pipeline.config",
        "pipeline.atomic",
        "pipeline.speedups",
        "pipeline.languages",
        "pipeline.lock",
        "pipeline.formats",
        "pipeline.memory",
    ),
    ("pipeline.document",),
    ("pipeline.catalogs",),
    ("pipeline.readability",),
    ("pipeline.render",),
    ("pipeline.builder",),
    ("pipeline.audit",),
    ("pipeline.commands",),
    ("pipeline.cli", "pipeline.__main__"),
]
"""ARCHITECTURE.md's stage order, bottom first: a module may import from its own stage or an earlier one only.
The shared modules and the languages package are the bottom, with ``pipeline`` itself (its ``__init__`` holds
only the version, which the builder's fingerprints read)."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module an import names: ``from pipeline.render import fonts`` is the module, ``import x.y.Z`` is x.y."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports() -> set[tuple[str, str]]:
    """(importer, imported) for every import between modules of the package, wherever it is written."""
    edges: set[tuple[str, str]] = set()
    for module, path in MODULES.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                names = [f"{base}.{alias.name}" for alias in node.names]
            for name in names:
                if name == "pipeline" or name.startswith("pipeline."):
                    target = _resolve(name)
                    if target != module:
                        edges.add((module, target))
    return edges


def stage(module: str) -> int:
    """Index of the module's stage in :data:`STAGES`."""
    for index, members in enumerate(STAGES):
        if any(module == member or (member != "pipeline" and module.startswith(member + ".")) for member in members):
            return index
    raise AssertionError(f"{module} is in no stage of STAGES: add it to the list (and to ARCHITECTURE.md)")


def _circles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan), each sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def _unit(module: str) -> str:
    """The package a module belongs to (``pipeline.catalogs.qa`` for its checks); a top-level module is its own."""
    path = MODULES[module]
    if path.name == "__init__.py" or module.count(".") == 1:
        return module
    return module.rpartition(".")[0]


def test_every_stage_named_exists() -> None:
    for members in STAGES:
        for member in members:
            assert member in MODULES, f"{member} in STAGES is not a module of the package"


def test_no_import_runs_back_up_the_stages() -> None:
    upward = [
        f"{source} imports {target}: {STAGES[stage(source)][0]} comes before {STAGES[stage(target)][0]}"
        for source, target in sorted(imports())
        if stage(source) < stage(target)
    ]
    assert upward == []


def test_no_import_circle_between_modules() -> None:
    edges = imports()
    assert _circles(edges) == []


def test_no_import_circle_between_packages() -> None:
    edges = {(_unit(a), _unit(b)) for a, b in imports() if _unit(a) != _unit(b)}
    assert _circles(edges) == []


@pytest.mark.parametrize(
    ("edges", "circle"),
    [
        ({("a", "b"), ("b", "c"), ("c", "a")}, [["a", "b", "c"]]),
        ({("a", "b"), ("b", "c")}, []),
    ],
)
def test_the_circle_finder_finds_circles(edges: set[tuple[str, str]], circle: list[list[str]]) -> None:
    assert _circles(edges) == circle


def test_the_import_reader_sees_imports_inside_functions() -> None:
    # catalogs/project.py imports its helpers inside functions; they must be seen.
    assert ("pipeline.catalogs.project", "pipeline.catalogs.layouts") in imports()
    assert stage("pipeline.languages.en") == 0 and stage("pipeline.cli") == len(STAGES) - 1


def test_every_module_is_in_a_stage() -> None:
    assert all(stage(module) >= 0 for module in MODULES)
