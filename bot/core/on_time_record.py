"""`/dunghan`: the on-time record an office rates its units by, over a month, a quarter, 6 or 9 months, a year.

Each report whose legal last day falls in the period counts for each unit that owed it, read through
`on_time.verdict`: on time, late, or not sent (closed by the office counts as not sent); exempted
reports and reports not due yet count in neither.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.cache import CoreCache
from bot.core.context import Context
from bot.core.names import match_units, one_unit_named
from bot.core.on_time import Verdict, sent_day, verdict
from bot.core.summaries import occurrence_views
from bot.core.targets import my_units
from bot.core.types import Outcome, Reply
from messages import common
from messages import on_time as words
from messages.on_time import ReportRecord, UnitRecord
from messages.period_words import Period, PeriodRefused, looks_like_period, not_begun, read_period, refused, year_so_far
from scheduler.calendar import WorkCalendar
from storage.models import FINISHED, Unit
from storage.store import Store


async def record(
    store: Store,
    *,
    cal: WorkCalendar,
    cache: CoreCache,
    tz: ZoneInfo,
    period: Period,
    today: date,
    locale: str,
    units: list[Unit] | None = None,
) -> tuple[list[UnitRecord], list[ReportRecord]]:
    """Every unit's tally for the period, best first (those that sent nothing last), and each report line."""
    planned = await cache.planned(store, cal, tz, period.start, period.end, today=today)
    views = await occurrence_views(
        store, cal=cal, cache=cache, planned=planned, units=units, today=today, tz=tz, locale=locale, details=False
    )
    tallies: dict[int, UnitRecord] = {}
    reports = []
    judged_by: dict[tuple[str | None, date | None, date], Verdict] = {}  # a province judges 100,000 alike
    for view in views:
        for line in view.lines:
            report = line.report
            status = report.status if report.status in FINISHED else None  # the others read alike
            key = (status, sent_day(report.sent_at, tz), line.legal_last_day)
            judged = judged_by.get(key)
            if judged is None:
                judged = judged_by[key] = verdict(*key[:2], legal_last_day=key[2], today=today, cal=cal)
            if judged.kind == "not_due":
                continue
            tally = tallies.setdefault(report.unit_id, UnitRecord(line.unit, report.unit_id))
            tally.count(judged.kind)
            reports.append(
                ReportRecord(line.unit, view.duty, view.nominal, line.legal_last_day, judged.kind, judged.late)
            )
    rated = [tally for tally in tallies.values() if tally.due]
    rated.sort(key=lambda tally: (not tally.sent, -tally.rate, -tally.due, tally.unit))
    reports.sort(key=lambda found: (found.legal_last_day, found.duty))
    return rated, reports


async def on_time(ctx: Context, args: str) -> Outcome:
    """`/dunghan [period | unit]`: the office sees every unit (or one); an official their own."""
    query = args.strip()
    period: Period | PeriodRefused | None = year_so_far(ctx.today) if not query else read_period(query, today=ctx.today)
    unit: Unit | None = None
    if isinstance(period, PeriodRefused):
        return Outcome([Reply(refused(period, ctx.locale))])
    if period is None:  # a unit's name, perhaps followed by a period
        unit, period, answer = await _unit_and_period(ctx, query)
        if answer is not None:
            return answer
    assert period is not None
    if period.start > ctx.today:
        return Outcome([Reply(not_begun(period, ctx.locale))])
    period = _up_to_today(period, ctx.today)
    note = ""
    if not ctx.actor.is_office:
        mine = my_units(ctx)
        if not mine:
            return Outcome([Reply(words.nothing_rated(ctx.locale))])
        if unit is not None and all(unit.id != own.id for own in mine):
            note = common.own_unit_only([own.name for own in mine], ctx.locale) + "\n"
        unit = unit if unit is not None and any(unit.id == own.id for own in mine) else mine[0]
    units = None if unit is None else [unit]
    rated, reports = await record(
        ctx.store,
        cal=ctx.calendar,
        cache=ctx.cache,
        tz=ctx.config.tz,
        period=period,
        today=ctx.today,
        locale=ctx.locale,
        units=units,
    )
    if unit is not None:
        return Outcome([Reply(note + words.unit_record(unit.name, period, rated, reports, ctx.locale))])
    return Outcome([Reply(words.rates(period, rated, ctx.locale))])


async def _unit_and_period(ctx: Context, query: str) -> tuple[Unit | None, Period | None, Outcome | None]:
    """`/dunghan Bần Yên Nhân` or `/dunghan Bần Yên Nhân quý 4/2026`: the unit, and the period (the year so far)."""
    words_ = query.split()
    for cut in range(len(words_) - 1, 0, -1):  # the longest tail that names a period
        tail = " ".join(words_[cut:])
        if looks_like_period(tail):
            found = read_period(tail, today=ctx.today)
            if isinstance(found, PeriodRefused):
                return None, None, Outcome([Reply(refused(found, ctx.locale))])
            if found is not None:
                unit, answer = await _unit(ctx, " ".join(words_[:cut]))
                return unit, found, answer
    unit, answer = await _unit(ctx, query)
    return unit, year_so_far(ctx.today), answer


async def _unit(ctx: Context, name: str) -> tuple[Unit | None, Outcome | None]:
    units = await ctx.store.units()
    found = match_units(name, units, today=ctx.today).unique or one_unit_named(name, units)[0]
    if found is None:
        return None, Outcome([Reply(words.no_such_unit(name, ctx.locale))])
    return found, None


def _up_to_today(period: Period, today: date) -> Period:
    """A period still running is rated up to today."""
    if period.end <= today:
        return period
    return Period(period.kind, period.year, period.number, period.start, today)
