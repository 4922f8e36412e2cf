"""The service's imports run one way, web → service → core/store, with no circle, and no
module in handoff/ is over 300 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "handoff"
MAX_LINES = 300

# Lower numbers sit lower: a module may import only modules of its own rank or below.
RANKS = {
    "handoff.core": 0,
    "handoff.safejson": 0,
    "handoff.logs": 0,
    "handoff.store": 1,
    "handoff.settings": 1,
    "handoff.metrics": 1,
    "handoff.rasa": 1,
    "handoff.frames": 1,
    "handoff.service": 2,
    "handoff.web": 3,
    "handoff.app": 4,
    "handoff.cli": 4,
    "handoff.__main__": 4,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def rank(module: str) -> int:
    for prefix in sorted(RANKS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return RANKS[prefix]
    raise AssertionError(f"{module} belongs to no layer: add it to RANKS")


def imports(module: str) -> list[tuple[str, bool]]:
    """The handoff modules `module` imports, each with whether the import is at module level."""
    tree = ast.parse(MODULES[module].read_text())
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            names += [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.split(".")[0] == "handoff" and name in MODULES:
                found.append((name, id(node) in top))
    return found


GRAPH = {m: sorted({name for name, _ in imports(m) if name != m}) for m in MODULES}


def cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One import cycle in `graph`, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_one_from_a_higher_layer():
    upward = [
        f"{m} (layer {rank(m)}) imports {n} (layer {rank(n)})"
        for m, targets in GRAPH.items()
        for n in targets
        if rank(n) > rank(m)
    ]
    assert upward == []


def test_the_imports_of_handoff_have_no_cycle():
    assert cycle(GRAPH) is None


def test_every_handoff_import_is_at_module_level():
    """An import inside a function only hides a circle."""
    hidden = [
        f"{m} imports {n} inside a function" for m in MODULES for n, top in imports(m) if not top
    ]
    assert hidden == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_300_lines(module):
    assert len(MODULES[module].read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": ["b"], "b": []}, None),
        ({"a": ["b"], "b": ["a"]}, ["a", "b", "a"]),
        ({"a": ["b"], "b": ["c"], "c": ["b"]}, ["b", "c", "b"]),
        ({"a": ["a"]}, ["a", "a"]),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}, None),
    ],
)
def test_the_cycle_finder_finds_cycles_and_only_cycles(graph, expected):
    assert cycle(graph) == expected


@pytest.mark.parametrize(
    "module, expected",
    [("handoff.web.agent_ws", 3), ("handoff.service", 2), ("handoff.core.desk", 0)],
)
def test_modules_take_the_rank_of_their_layer(module, expected):
    assert rank(module) == expected
