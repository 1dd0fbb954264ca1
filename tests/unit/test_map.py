"""docs/map.md names files and functions: every one of them must exist (the map may not drift)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "map.md"
# "`path/to/file.py` `Name`" or "`path/to/file.py` `Class.method`", and bare "`name`" after a file on the same hop
HOP = re.compile(r"`(?P<file>[a-z_/]+\.py)` `(?P<name>[A-Za-z_][\w.]*)`")


def defined(path: Path) -> set[str]:
    """Top-level functions and classes, and methods as Class.method."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
    return names


def test_every_file_and_function_the_map_names_exists() -> None:
    hops = HOP.findall(MAP.read_text(encoding="utf-8"))
    assert len(hops) >= 16
    missing = [f"{file} {name}" for file, name in hops if name not in defined(ROOT / file)]
    assert missing == []


def test_each_story_takes_at_most_eight_hops() -> None:
    stories = MAP.read_text(encoding="utf-8").split("\n## ")[1:]
    assert len(stories) == 2
    for story in stories:
        hops = re.findall(r"^(\d+)\. ", story, flags=re.MULTILINE)
        assert 1 <= len(hops) <= 8, story.splitlines()[0]
