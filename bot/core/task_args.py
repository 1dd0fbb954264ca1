"""Reading `/giao <units, group or "tất cả">; <deadline>; <task>`: the three parts, each read as
everywhere (units by bot/core/names.py, the deadline by messages/deadline_words.py), and every part
that could not be read named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.limits import TASK_TITLE
from bot.core.names import current, ended_named, match_units, split_names, suggestions
from messages.deadline_words import read_deadline
from messages.tasks import Problem
from messages.text import fold
from scheduler.calendar import DeadlineRule
from storage.models import OFFICE_KIND, Unit

EVERY_UNIT = {"tat ca", "tat ca don vi", "toan bo", "all"}
_KIND_WORDS = {"phong", "xa", "phuong"}  # "phòng" alone: every department, as /tonghop reads it
_SEPARATORS = ",+"  # not "và": "Tài nguyên và Môi trường" is one unit


@dataclass(frozen=True)
class TaskWords:
    units: list[Unit]
    rule: dict[str, Any]
    title: str


def read_task(args: str, *, units: list[Unit], groups: dict[str, list[int]], today: date) -> TaskWords | list[Problem]:
    """The task these words give, or what could not be read in them (every part, in order)."""
    parts = [part.strip() for part in args.split(";", 2)]
    if len(parts) < 3:
        return [Problem("parts")]
    unit_part, deadline_part, title = parts
    problems: list[Problem] = []
    found = read_units(unit_part, units=units, groups=groups, today=today)
    if isinstance(found, Problem):
        problems.append(found)
    deadline = read_deadline(deadline_part, today=today)
    rule = deadline.rule
    if rule is not None:
        try:
            DeadlineRule.from_dict(rule)
        except ValueError:  # "ngày 20 hằng tháng đến tháng 11/2026" on 30/11/2026: no deadline is left
            rule = None
            deadline = type(deadline)(None, "past")
    if rule is None:
        problems.append(Problem("deadline", deadline.problem or "words", deadline_part))
    if not title:
        problems.append(Problem("title"))
    elif len(title) > TASK_TITLE:  # cut, it would be another task's name
        problems.append(Problem("title", "long", title, limit=TASK_TITLE))
    if problems or isinstance(found, Problem) or rule is None:
        return problems
    return TaskWords(found, rule, title)


def read_units(text: str, *, units: list[Unit], groups: dict[str, list[int]], today: date) -> list[Unit] | Problem:
    """The units a list of names, groups and "tất cả" points to (each once, in order); or the first
    name that points to none, or to several when it should point to one."""
    written_names = split_names(text, units, separators=_SEPARATORS)
    if not written_names:
        return Problem("units", "none")
    owing = [unit for unit in units if unit.kind != OFFICE_KIND and current(unit, today)]
    found: dict[str, Unit] = {}
    for written in written_names:
        named = _named(" ".join(fold(written).split()), written, owing, units, groups, today)
        if isinstance(named, Problem):
            return named
        found |= {unit.key: unit for unit in named}
    if not found:  # "tất cả" or a group while the office has no unit (yet) that owes reports
        return Problem("units", "empty", text.strip())
    return list(found.values())


def _named(
    name: str, written: str, owing: list[Unit], units: list[Unit], groups: dict[str, list[int]], today: date
) -> list[Unit] | Problem:
    if name in EVERY_UNIT:
        return owing
    group = groups.get(name.replace(" ", "-"))
    if group is not None:
        return [unit for unit in owing if unit.id in group]
    match = match_units(written, units, today=today)
    keys = {unit.key for unit in owing}
    matched = [unit for unit in match.units if unit.key in keys]
    if name in _KIND_WORDS or len(matched) == 1:
        return matched
    if matched:
        return Problem("units", "ambiguous", written, tuple(unit.name for unit in matched[:8]))
    gone = ended_named(written, units, today=today)
    if gone is not None:
        ended, successors = gone
        return Problem("units", "ended", ended.name, tuple(unit.name for unit in successors), ended_on=ended.valid_to)
    close = [unit.name for unit in suggestions(written, owing, today=today, limit=4)]
    return Problem("units", "unknown", written, tuple(close) if len(close) < len(owing) else ())
