"""`/tonghop` and `/quahan`: who has reported, who is late and why. Counting is in storage, words in messages."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.cache import LATE_KEPT, CoreCache
from bot.core.context import Context
from bot.core.names import ended_named, match_names, match_units
from bot.core.on_time import sent_day, verdict
from bot.core.targets import OPEN_BEFORE, RECENT, my_units
from bot.core.types import Outcome, Reply
from messages import common
from messages import on_time as on_time_words
from messages import summary as words
from messages import units as unit_words
from messages.summary import OccurrenceView, UnitLine
from messages.text import fold, in_language
from scheduler.calendar import WorkCalendar
from scheduler.endings import close_ended
from scheduler.occurrences import PlannedOccurrence
from storage.models import FINISHED, Unit
from storage.store import Store
from storage.summary import UnitReport


def classify(report: UnitReport, *, legal_last_day: date, today: date) -> str:
    """The group a unit is shown in: sent; nothing known and nobody to ask; late (after the legal last
    day, whatever it said: the line says what); or what it said; or nothing yet. Every view (/tonghop,
    /quahan, the digests, the workbook, the letter, the chart) reads its units through this, with
    `on_time.verdict` (how late, also once sent), in `occurrence_views`."""
    status = report.status
    if status in FINISHED:
        return status
    if status is None and not report.reachable:
        return "unreachable"  # a status the office recorded for a unit nobody can reach is shown as such
    if today > legal_last_day:
        return "overdue"
    if status in ("in_progress", "waiting_signature", "no_data", "extension_requested", "extension_granted"):
        return status
    return "no_update"


async def occurrence_views(
    store: Store,
    *,
    cal: WorkCalendar,
    cache: CoreCache,
    planned: list[PlannedOccurrence],
    units: list[Unit] | None,
    today: date,
    tz: ZoneInfo,
    locale: str,
    details: bool = True,
) -> list[OccurrenceView]:
    """Each occurrence with every unit's line, for the chat, the exports and the CLI alike.

    Without `details` a line knows its unit's status and reachability but not the latest update
    itself nor the officials: the chat's summary loads those for the lines it shows (`listed`)."""
    views = []
    mine = None if units is None else {unit.id for unit in units}
    for item in planned:
        keys = cache.unit_keys(item)
        if mine is not None:
            keys = [key for key in keys if key[0] in mine]
        if not keys:
            continue
        row = await cache.occurrence_row(store, item)
        reports = await store.occurrence_reports(
            occurrence_id=row.id or 0,
            unit_ids=[unit_id for unit_id, _name in keys],
            details=details,
            unreachable=None if details else await cache.unreachable_units(store),
        )
        lines = []
        late_by_day: dict[date, int] = {}  # most units share the occurrence's legal last day
        found = item.occurrence  # the calendar's dates: a row written before a correction may lag
        for unit_id, name in keys:
            report = reports[unit_id]
            legal = report.granted_until or found.legal_last_day
            group = classify(report, legal_last_day=legal, today=today)
            if group == "done":
                late = verdict(group, sent_day(report.sent_at, tz), legal_last_day=legal, today=today, cal=cal).late
            elif group in FINISHED:
                late = 0
            else:
                if legal not in late_by_day:
                    late_by_day[legal] = verdict(group, None, legal_last_day=legal, today=today, cal=cal).late
                late = late_by_day[legal]
            lines.append(UnitLine(name, group, report, late, legal))
        title = in_language(item.duty.title, item.duty.title_en, locale)
        views.append(OccurrenceView(title, found.nominal, found.inclusive, found.aim_day, found.legal_last_day, lines))
    return views


async def _views(
    ctx: Context, planned: list[PlannedOccurrence], units: list[Unit] | None, *, details: bool = True
) -> list[OccurrenceView]:
    return await occurrence_views(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        planned=planned,
        units=units,
        details=details,
        today=ctx.today,
        tz=ctx.config.tz,
        locale=ctx.locale,
    )


async def open_reports(
    store: Store, cache: CoreCache, cal: WorkCalendar, tz: ZoneInfo, *, today: date, end: date
) -> list[PlannedOccurrence]:
    """The reports the office's views show, oldest first: every deadline up to `end` from the last
    `RECENT` days, and every older one that some unit has not sent yet (late stays late), once what a
    plan or unit that ended owed is closed."""
    await close_ended_once(store, cache, cal, tz, today=today)
    planned = [item for item in await cache.planned(store, cal, tz, today - LATE_KEPT, end, today=today) if item.units]
    windows = await store.plan_windows()  # a plan that ended is gone from the live views, recent or not
    planned = [item for item in planned if (windows.get(item.duty.plan_id or 0, (None, None))[1] or today) >= today]
    old = [item for item in planned if item.occurrence.legal_last_day < today - RECENT]
    rows = {id(item): await cache.occurrence_row(store, item) for item in old}
    done = await store.units_done(occurrence_ids=[row.id or 0 for row in rows.values()])
    closed = {id(item) for item in old if done.get(rows[id(item)].id or 0, 0) >= len(item.units)}
    return [item for item in planned if id(item) not in closed]


async def close_ended_once(store: Store, cache: CoreCache, cal: WorkCalendar, tz: ZoneInfo, *, today: date) -> None:
    """Close what ended before a view reads it, once a day and plan revision in this process: the planner
    does it each day too, but a view asked before its first pass (a start, the demo) must not show it late.
    The rows are the message's (committed with it); their moment is the day's start."""
    if cache.closed_for == (today, cache.revision):
        return
    await close_ended(store, cal=cal, tz=tz, now=datetime.combine(today, time(0), tzinfo=tz))
    cache.closed_for = (today, cache.revision)


async def _open(ctx: Context) -> list[PlannedOccurrence]:
    return await open_reports(
        ctx.store, ctx.cache, ctx.calendar, ctx.config.tz, today=ctx.today, end=ctx.today + OPEN_BEFORE
    )


async def summary(ctx: Context, args: str) -> Outcome:
    """`/tonghop [duty or unit]`: the office sees every unit; an official sees their own."""
    planned = await _open(ctx)
    units: list[Unit] | None = None
    query = args.strip()
    if not ctx.actor.is_office:
        units = my_units(ctx)
        if not units:
            return Outcome([Reply(words.nothing_open(ctx.locale))])
        if query and not match_names(query, units):  # another unit asked for: say why they see their own
            outcome = await summary(ctx, "")
            note = common.own_unit_only([unit.name for unit in units], ctx.locale)
            outcome.replies[0].text = f"{note}\n{outcome.replies[0].text}"
            return outcome
    elif query:
        # A duty's key or title first: it is a handful of names, where units may be thousands.
        duties = [item for item in planned if duty_matches(query, item)]
        if duties:
            planned = duties
        else:
            every = await ctx.store.units()
            found = match_units(query, every, today=ctx.today)
            gone = ended_named(query, every, today=ctx.today) if not found.units else None
            if gone is not None:
                return Outcome([Reply(unit_words.gone_unit(gone[0], gone[1], ctx.locale))])
            if found.unique is None:
                return Outcome([Reply(words.no_match(query, ctx.locale))])
            units = [found.unique]
    views = await _views(ctx, planned, units, details=False)  # the chat names a few units a group
    if not views:
        return Outcome([Reply(words.nothing_open(ctx.locale))])
    await ctx.store.load_latest([line.report for view in views for line in words.listed(view)])
    return Outcome([Reply(words.summary(views, ctx.locale))])


def duty_matches(query: str, item: PlannedOccurrence) -> bool:
    """Whether a person's words name this occurrence's duty: its key, or its title, a part of it, or
    words of it in its order ("báo cáo 6 tháng" names "Báo cáo kết quả … 6 tháng")."""
    folded = " ".join(fold(query).split())
    title = fold(item.duty.title)
    return (
        folded in (fold(item.duty.key), title, fold(item.duty.title_en))
        or any(name.startswith(folded) or f" {folded}" in f" {name}" for name in (title, item.duty.key))
        or _in_order(folded.split(), title.split())
    )


def _in_order(words: list[str], title: list[str]) -> bool:
    """Whether two words or more are words of the title, in the title's order (one word is a part)."""
    rest = iter(title)
    return len(words) > 1 and all(word in rest for word in words)


async def overdue(ctx: Context, _args: str) -> Outcome:
    """`/quahan`: late units, the latest first, with who is responsible and what they last said."""
    views = await _views(ctx, await _open(ctx), None, details=False)
    late = late_lines(views)
    await ctx.store.load_details([line.report for _view, line in words.overdue_listed(late)])
    record = sent_late_record(views, ctx.locale)
    text = words.overdue(late, ctx.locale)
    return Outcome([Reply(f"{text}\n\n{record}" if record else text)])


def sent_late_record(views: list[OccurrenceView], locale: str) -> str:
    """The units that sent after their legal last day, the latest first: it stays said (issue 25)."""
    came = [(line.unit, view.duty, line.late) for view in views for line in view.lines if line.group == "done"]
    return on_time_words.sent_late_section(sorted((c for c in came if c[2] > 0), key=lambda c: -c[2]), locale)


def late_lines(views: list[OccurrenceView]) -> list[tuple[OccurrenceView, UnitLine]]:
    """Every late unit of these occurrences that has not submitted: the oldest report first, and under
    each the latest unit first."""
    late = [(view, line) for view in views for line in view.lines if line.late > 0 and line.group != "done"]
    late.sort(key=lambda pair: (pair[0].legal_last_day, pair[0].nominal, -pair[1].late))
    return late
