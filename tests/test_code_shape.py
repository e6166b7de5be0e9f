"""The shape the code promises (README, "Layout"): short modules, short functions, no import circle.

Read from the source with `ast`, so nothing is imported: a module over 300 lines, a function
over 60, or a module that (through others) imports itself at load time fails here by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tf_gan"
MODULE_LINES, FUNCTION_LINES = 300, 60


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def load_time_imports(name: str) -> set[str]:
    """The tf_gan modules `name` imports when it is loaded: its top-level imports, not those inside functions.

    ``from tf_gan.a import b`` counts tf_gan.a, and tf_gan.a.b too when b is a module.
    Imports under ``if TYPE_CHECKING:`` are never run, so they do not count.
    """
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path start -> ... -> start through `graph`, if there is one (depth first)."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = {name: load_time_imports(name) for name in MODULES}
    circles = [circle for name in MODULES if (circle := cycle_from(name, graph))]
    assert not circles, "import circle: " + " -> ".join(circles[0])


def test_the_circle_finder_finds_a_circle() -> None:
    assert cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_imports_are_read_as_python_runs_them() -> None:
    """The reader finds a known load-time import, and skips one made inside a function."""
    assert "tf_gan.recipes.settings" in load_time_imports("tf_gan.recipes.base")
    assert "tf_gan.run.trainer" not in load_time_imports("tf_gan.commands")  # imported inside cmd_train


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_and_functions_are_short(name: str) -> None:
    source = MODULES[name].read_text()
    assert len(source.splitlines()) <= MODULE_LINES, f"{name}: {len(source.splitlines())} lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > FUNCTION_LINES]
    assert not long, f"{name}: " + ", ".join(long)
