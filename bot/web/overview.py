"""The overview's table: units (rows, grouped) against the chosen plan's open and recent deadlines.

Every cell is read through `summaries.occurrence_views` (with `classify` and `on_time.verdict`), and each
column's count through `messages.summary.submitted`: the same truth as /tonghop, for the same data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core import Core
from bot.core.cache import LATE_KEPT
from bot.core.on_time_record import record
from bot.core.summaries import occurrence_views, open_reports
from bot.core.targets import OPEN_BEFORE
from messages import web as words
from messages.on_time import rate_cell
from messages.people import deadline_phrase
from messages.period_words import year_so_far
from messages.summary import OccurrenceView, UnitLine, submitted
from messages.text import in_language
from scheduler.occurrences import PlannedOccurrence
from storage.models import FINISHED, Plan, Unit
from storage.store import Store

GROUPS = ("phong", "phuong", "xa")
_SHOWN_WITH_DETAIL = ("done", "in_progress", "closed")  # the cells whose words need the latest update itself


@dataclass(frozen=True)
class Choice:
    plan: int | None = None
    duty: str = ""
    group: str = ""
    late_only: bool = False
    ended: bool = False  # the reports of ended plans and units too, closed with them ("không nộp")


@dataclass
class Column:
    title: str
    deadline: str
    count: str
    duty_key: str
    nominal: date  # the deadline's date as the plan words it: its chart's link names it


@dataclass
class Cell:
    text: str
    group: str  # the status group: the cell's colour
    href: str


@dataclass
class Row:
    unit: Unit
    cells: list[Cell | None]  # None: the unit owes nothing on that deadline
    rate: str = ""  # on time / due this year so far (/dunghan's record)


@dataclass
class Overview:
    plans: list[Plan]
    duties: list[tuple[str, str]]  # (key, title) of the chosen plan's open deadlines
    choice: Choice
    columns: list[Column] = field(default_factory=list)
    sections: list[tuple[str, list[Row]]] = field(default_factory=list)


async def overview(core: Core, store: Store, *, today: date, locale: str, choice: Choice) -> Overview:
    """The table for these filters, on `today`."""
    cal, cache = core.calendar, core.cache
    if choice.ended:  # what ended shows too, with the reports closed with it ("không nộp")
        window = (today - LATE_KEPT, today + OPEN_BEFORE)
        planned = [item for item in await cache.planned(store, cal, core.config.tz, *window, today=today) if item.units]
    else:
        planned = await open_reports(store, cache, cal, core.config.tz, today=today, end=today + OPEN_BEFORE)
    plans = [plan for plan in await store.plans() if any(item.duty.plan_id == plan.id for item in planned)]
    plan_id = choice.plan if any(plan.id == choice.plan for plan in plans) else (plans[0].id if plans else None)
    planned = [item for item in planned if item.duty.plan_id == plan_id]
    duties = _duties(planned, locale)
    if choice.duty:
        planned = [item for item in planned if item.duty.key == choice.duty]
    views = await occurrence_views(
        store,
        cal=cal,
        cache=cache,
        planned=planned,
        units=None,
        today=today,
        tz=core.config.tz,
        locale=locale,
        details=False,
    )
    await store.load_latest([line.report for view in views for line in view.lines if line.group in _SHOWN_WITH_DETAIL])
    found = Overview(plans, duties, Choice(plan_id, choice.duty, choice.group, choice.late_only, choice.ended))
    found.columns = [_column(view, item, locale) for view, item in zip(views, planned, strict=True)]
    found.sections = _sections(await store.units(), views, found.choice, locale=locale)
    await _rates(core, store, found, today=today, locale=locale)
    return found


async def _rates(core: Core, store: Store, found: Overview, *, today: date, locale: str) -> None:
    """Each row's on-time rate this year so far, read as /dunghan reads it."""
    rated, _reports = await record(
        store,
        cal=core.calendar,
        cache=core.cache,
        tz=core.config.tz,
        period=year_so_far(today),
        today=today,
        locale=locale,
    )
    by_unit = {tally.unit_id: tally for tally in rated}
    for _name, rows in found.sections:
        for row in rows:
            tally = by_unit.get(row.unit.id or 0)
            row.rate = rate_cell(tally, locale) if tally is not None else "—"


def _duties(planned: list[PlannedOccurrence], locale: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for item in planned:
        seen.setdefault(item.duty.key, in_language(item.duty.title, item.duty.title_en, locale))
    return list(seen.items())


def _column(view: OccurrenceView, item: PlannedOccurrence, locale: str) -> Column:
    done, total = submitted(view)
    deadline = deadline_phrase(view.nominal, inclusive=view.inclusive, locale=locale)
    return Column(view.duty, deadline, words.counted(done, total, locale), item.duty.key, view.nominal)


def _sections(
    units: list[Unit], views: list[OccurrenceView], choice: Choice, *, locale: str
) -> list[tuple[str, list[Row]]]:
    """The rows, grouped by kind (phòng, phường, xã, then the others), each group in the plan's order:
    every unit a column counts, as /tonghop does, an ended one too (it still owes what it owed)."""
    lines: dict[int, list[UnitLine | None]] = {}
    for index, view in enumerate(views):
        for line in view.lines:
            lines.setdefault(line.report.unit_id, [None] * len(views))[index] = line
    grouped: dict[str, list[Row]] = {}
    for unit in units:
        owed = lines.get(unit.id or 0)
        if owed is None or (choice.group and unit.kind != choice.group):
            continue
        if choice.late_only and not any(line and line.late > 0 and line.group not in FINISHED for line in owed):
            continue
        cells = [None if line is None else _cell(line, unit, locale) for line in owed]
        grouped.setdefault(unit.kind if unit.kind in GROUPS else "", []).append(Row(unit, cells))
    order = [*GROUPS, ""]
    return [(words.group_name(kind, locale), grouped[kind]) for kind in order if kind in grouped]


def _cell(line: UnitLine, unit: Unit, locale: str) -> Cell:
    href = f"/unit/{unit.id}?occurrence={line.report.occurrence_id}#updates"
    group = "done-late" if line.group == "done" and line.late > 0 else line.group  # a fill of its own
    return Cell(words.cell(line, locale), group, href)
