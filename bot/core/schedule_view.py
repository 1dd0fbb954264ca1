"""`/lich`: the coming deadlines and the reminders planned for them."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.cache import LATE_KEPT
from bot.core.choices import unit_choice
from bot.core.context import Context
from bot.core.names import match_units
from bot.core.targets import units_of
from bot.core.types import Outcome, Reply
from messages import people
from messages.reminders import CalendarLine, calendar_view
from messages.text import in_language
from scheduler.occurrences import PlannedOccurrence, ladder_of_days
from storage.models import Unit

HORIZON = timedelta(days=60)


async def calendar(ctx: Context, args: str) -> Outcome:
    actor = ctx.actor
    query = args.strip()
    if actor.is_office and query:
        units = await ctx.store.units()
        found = match_units(query, units, today=ctx.today)
        if found.unique is None:
            return unit_choice(ctx, query, found, units, lambda c: f"/lich {c.key}")
        return Outcome([Reply(await _for_units(ctx, [found.unique]))])
    if actor.is_office:
        planned = await ctx.cache.planned(
            ctx.store, ctx.calendar, ctx.config.tz, ctx.today, ctx.today + HORIZON, today=ctx.today
        )
        lines = [_line(ctx, item, len(item.units)) for item in planned if item.units]
        title = people.calendar_title(None, ctx.today + HORIZON, ctx.locale)
        return Outcome([Reply(calendar_view(title, lines, ctx.locale, show_units=True))])
    units = units_of(actor.memberships)
    return Outcome([Reply(await _for_units(ctx, units))])


async def _for_units(ctx: Context, units: list[Unit]) -> str:
    """Each unit's coming deadlines, with its own day where the office granted it more time."""
    planned = await ctx.cache.planned(
        ctx.store, ctx.calendar, ctx.config.tz, ctx.today - LATE_KEPT, ctx.today + HORIZON, today=ctx.today
    )
    texts = []
    for unit in units:
        granted = await ctx.store.granted_days(unit_id=unit.id or 0, since=ctx.today)
        lines = []
        for item in planned:
            if not any(u.id == unit.id for u in item.units):
                continue
            own = granted.get((item.duty.id or 0, item.occurrence.nominal))
            if own is not None:
                lines.append(_line(ctx, item, 1, granted=own))
            elif item.occurrence.legal_last_day >= ctx.today:
                lines.append(_line(ctx, item, 1))
        lines.sort(key=lambda line: line.aim_day)
        title = people.calendar_title(unit.name, ctx.today + HORIZON, ctx.locale)
        texts.append(calendar_view(title, lines, ctx.locale, show_units=False))
    return "\n\n".join(texts)


def _line(ctx: Context, item: PlannedOccurrence, units: int, *, granted: date | None = None) -> CalendarLine:
    """A deadline's line; `granted`: the unit's own day after an extension, with the reminders it brings."""
    title = in_language(item.duty.title, item.duty.title_en, ctx.locale)
    found = item.occurrence
    aim, legal, dues = found.aim_day, found.legal_last_day, item.dues
    if granted is not None:
        aim = legal = granted
        dues = ladder_of_days(item.duty, ctx.calendar, ctx.config.tz, granted, granted)
    coming = [due.at for due in dues if due.at >= ctx.now]
    return CalendarLine(title, found.nominal, found.inclusive, aim, legal, units, coming)
