"""A filled plan sheet read against the plan in the database: what it will create, change and end, and
every cell it cannot read (its row and column, and why). Nothing is written here: the result is kept as
JSON (`Preview.content`) until the office taps ✅ (bot/core/plan_import.py applies it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core.limits import TASK_TITLE
from bot.core.names import current, match_units, split_names
from messages.deadline_words import deadline_text, read_deadline
from messages.plan_sheet import Sheet, SheetRow
from messages.plan_sheet_text import Preview, Problem
from messages.text import fold
from storage.models import OFFICE_KIND, Duty, Plan, Unit

EVERYONE = ("tat ca", "tatca", "all")
_RECURS = re.compile(r"\b(?:hang|moi) (?:thang|nam|quy)\b|\bquy\b|\b[69] thang\b")  # the words say it already
_REPEATS = {"": "", "khong": "", "none": "", "hang thang": "hằng tháng", "moi thang": "hằng tháng"}
_REPEATS |= {"monthly": "hằng tháng", "hang nam": "hằng năm", "moi nam": "hằng năm", "yearly": "hằng năm"}
_REPEATS |= {"hang quy": "hằng quý", "moi quy": "hằng quý", "quarterly": "hằng quý"}
_DUTY_FIELDS = ("title", "rule", "groups", "units", "note")
_PLAN_DATES = ("issued_on", "valid_from", "valid_to")
_PLAN_TEXTS = {"title": 300, "number": 64, "issuer": 200, "report_to": 200}


@dataclass(frozen=True)
class PlanState:
    """What a sheet is read against: units, groups, the plan of the sheet's key and its duties."""

    units: list[Unit]
    groups: dict[str, list[str]]
    plan: Plan | None
    duties: list[Duty]  # the plan's, ended ones too
    duty_keys: set[str]  # every duty's key
    today: date


def slug(text: str, limit: int = 48) -> str:
    """'Báo cáo rà soát biên chế' -> 'bao-cao-ra-soat-bien-che'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:limit].strip("-")


def sheet_plan_key(sheet: Sheet) -> str:
    return slug(sheet.plan.get("key", "") or sheet.plan.get("title", ""), 64)


def read_plan_sheet(sheet: Sheet, state: PlanState) -> Preview:
    """The sheet against the plan: every row created, changed or the same, this plan's duties it does not
    name ended, and the problems."""
    preview = _plan_part(sheet, state)
    by_key = {duty.key: duty for duty in state.duties}
    by_title = {fold(duty.title): duty for duty in state.duties if duty.in_plan}
    taken = set(state.duty_keys)
    seen: set[str] = set()
    for row in sheet.rows:
        key = slug(row.cells.get("key", ""), 64)
        duty = by_key.get(key) if key else by_title.get(fold(row.cells.get("title", "")))
        if key and duty is None and key in taken:
            preview.problems.append(Problem(row.number, "key", "key", key))
            continue
        values = _duty_values(row, duty, state, preview.problems)
        if values is None:
            continue
        if duty is None:
            key = key or _new_key(values["title"], taken)
            taken.add(key)
            shown = {"shown": row.cells.get("deadline", ""), "shown_units": row.cells.get("units", "")}
            preview.created.append({"row": row.number, "key": key, **values, **shown})
            continue
        seen.add(duty.key)
        differs = {name: value for name, value in values.items() if _stored(duty, name) != value}
        if not duty.in_plan:
            differs["in_plan"] = True
        if differs:
            preview.changed.append({"key": duty.key, "row": row.number, "title": values["title"], "values": differs})
        else:
            preview.unchanged += 1
    if preview.new_plan:  # what the plan names, so loading another plan's file leaves it alone
        preview.plan_values["unit_keys"] = sorted({key for item in preview.created for key in item["units"]})
        preview.plan_values["group_keys"] = sorted({key for item in preview.created for key in item["groups"]})
    preview.ended = [
        {"key": duty.key, "title": duty.title} for duty in state.duties if duty.in_plan and duty.key not in seen
    ]
    return preview


def _stored(duty: Duty, name: str) -> Any:
    value = getattr(duty, name)
    return sorted(value) if name in ("groups", "units") else value


def _plan_part(sheet: Sheet, state: PlanState) -> Preview:
    written = sheet.plan
    values: dict[str, Any] = {name: written.get(name, "") for name in _PLAN_TEXTS}
    problems: list[Problem] = []
    for name, limit in _PLAN_TEXTS.items():  # cut, a title or a number would name another plan
        if len(values[name]) > limit:
            problems.append(Problem(None, name, "long", str(limit), cell=sheet.plan_cells.get(name, "")))
    if not values["title"]:
        problems.append(Problem(None, "title", "title", cell=sheet.plan_cells.get("title", "B2")))
    for name in _PLAN_DATES:
        text = written.get(name, "")
        day = _day(text)
        if text and day is None:
            problems.append(Problem(None, name, "date", text, cell=sheet.plan_cells.get(name, "")))
        values[name] = day.isoformat() if day else None
    key = sheet_plan_key(sheet)
    plan = state.plan
    preview = Preview(key, values["title"] or key, plan is None, problems=problems)
    if plan is None:
        preview.plan_values = {**values, "key": key, "source": "office", "active": True}
        return preview
    before = {name: getattr(plan, name) for name in values}
    before |= {name: getattr(plan, name).isoformat() if getattr(plan, name) else None for name in _PLAN_DATES}
    preview.plan_values = {name: value for name, value in values.items() if before[name] != value}
    if not plan.active:
        preview.plan_values["active"] = True
    return preview


def _day(text: str) -> date | None:
    found = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", text.strip())
    if found is None:
        return None
    try:
        return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None


def _new_key(title: str, taken: set[str]) -> str:
    base = slug(title) or "nhiem-vu"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _duty_values(row: SheetRow, duty: Duty | None, state: PlanState, problems: list[Problem]) -> dict[str, Any] | None:
    """A row's title, deadline rule, groups, units and note; None (and its problems) when a cell is unreadable."""
    before = len(problems)
    title = row.cells.get("title", "")
    if not title:
        problems.append(Problem(row.number, "title", "title"))
    elif len(title) > TASK_TITLE:  # cut, it would be another task's title
        problems.append(Problem(row.number, "title", "long", str(TASK_TITLE)))
    groups, units = _units(row, state, problems)
    rule = _rule(row, duty, state.today, problems)
    if len(problems) > before:
        return None
    return {"title": title, "rule": rule, "groups": groups, "units": units, "note": row.cells.get("note", "")[:1000]}


def _units(row: SheetRow, state: PlanState, problems: list[Problem]) -> tuple[list[str], list[str]]:
    """The groups and units a row names ("Nội vụ, Kinh tế", "phong-ban", "tất cả")."""
    written = split_names(row.cells.get("units", ""), state.units, separators=",;")
    if not written:
        problems.append(Problem(row.number, "units", "unit"))
    groups: list[str] = []
    units: list[str] = []
    by_group = {fold(key.replace("-", " ")): key for key in state.groups}
    for part in written:
        folded = fold(part.replace("-", " "))
        if folded in EVERYONE:
            units += [u.key for u in state.units if current(u, state.today) and u.kind != OFFICE_KIND]
        elif folded in by_group:
            groups.append(by_group[folded])
        else:
            found = match_units(part, state.units, today=state.today).units
            if len(found) == 1 or (found and folded in ("phong", "phuong", "xa")):
                units += [unit.key for unit in found]
            else:
                problems.append(Problem(row.number, "units", "ambiguous" if found else "unit", part))
    return sorted(set(groups)), sorted(set(units))


def _rule(row: SheetRow, duty: Duty | None, today: date, problems: list[Problem]) -> dict[str, Any] | None:
    """The deadline rule of the row's words: a duty's own when the words are its own (an exported sheet
    sent back keeps every rule, an old deadline too)."""
    words = row.cells.get("deadline", "")
    repeat = _REPEATS.get(fold(row.cells.get("repeat", "")))
    if repeat is None:
        problems.append(Problem(row.number, "repeat", "repeat", row.cells.get("repeat", "")))
        return None
    if repeat and not _RECURS.search(fold(words)):
        words = f"{words} {repeat}"
    if duty is not None and fold(words) in {fold(deadline_text(duty.rule)), fold(duty.wording)} - {""}:
        return duty.rule
    read = read_deadline(words, today=today)
    if read.rule is None:
        problems.append(Problem(row.number, "deadline", "deadline", read.problem or "words"))
    return read.rule
