"""The rooms' rules (docs/architecture.md), read off the source with `ast`: no cycles, no wrong door.

Every import counts, those under `if TYPE_CHECKING:` and inside functions too: a cycle through a
type or a late import is still a cycle for a reader. `from package import module` counts as an
import of that module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("storage", "scheduler", "messages", "bot")
# What each room may import of ours (besides itself).
MAY_IMPORT = {
    "storage": set(),
    "scheduler": {"storage"},
    "messages": {"storage"},  # the types storage's questions answer with (models and small dataclasses)
    "bot": {"storage", "scheduler", "messages"},
}
# Outside storage/ only these parts of SQLAlchemy and SQLModel: sessions to pass along, errors to catch.
DATABASE_LIBRARIES = ("sqlalchemy", "sqlmodel")
DATABASE_TYPES = ("sqlalchemy.ext.asyncio", "sqlmodel.ext.asyncio", "sqlalchemy.exc")


def modules() -> dict[str, Path]:
    found = {}
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every module `name` imports (ours and others'), as dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*parts, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            submodules = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in known]
            yield from submodules
            if len(submodules) < len(node.names):
                yield module


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imports(name, path, known)) - {name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start] & edges.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child] & edges.keys()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_takes_part_in_an_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_each_room_imports_only_the_rooms_below_it() -> None:
    wrong = []
    for name, targets in graph().items():
        room = name.split(".")[0]
        allowed = MAY_IMPORT[room] | {room}
        for target in targets:
            if target.split(".")[0] in ROOMS and not any(target == a or target.startswith(a + ".") for a in allowed):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_sql_outside_storage() -> None:
    wrong = []
    for name, targets in graph().items():
        if name.startswith("storage"):
            continue
        for target in targets:
            if target.split(".")[0] in DATABASE_LIBRARIES and not target.startswith(DATABASE_TYPES):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_only_the_telegram_channel_imports_python_telegram_bot() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if target.split(".")[0] == "telegram" and not name.startswith("bot.channels.telegram")
    ]
    assert wrong == []


def test_only_the_web_page_imports_jinja2() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in targets
        if target.split(".")[0] == "jinja2" and not name.startswith("bot.web")
    ]
    assert wrong == []
