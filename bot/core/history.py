"""`/lichsu`: a unit's updates; `/sua`: correct my last update (a new entry, history is never rewritten)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.names import match_units, one_unit_named
from bot.core.on_time import sent_day, verdict
from bot.core.targets import Target, my_units
from bot.core.types import Outcome, Reply
from bot.core.updates import apply
from messages import status as words
from messages.parser import parse_status
from storage.models import Unit
from storage.status import HistoryLine


async def show(ctx: Context, args: str) -> Outcome:
    query = args.strip()
    units = my_units(ctx)
    if query and ctx.actor.is_office:
        every = await ctx.store.units()
        found = match_units(query, every, today=ctx.today)
        unit = found.unique or one_unit_named(query, every)[0]  # an ended unit keeps its history
        if unit is None:
            return Outcome([Reply(words.history_which_unit(query, ctx.locale))])
        units = [unit]
    if not units:
        return Outcome([Reply(words.history_usage(ctx.locale))])
    texts = []
    for unit in units:
        lines = await ctx.store.unit_history(unit_id=unit.id or 0)
        texts.append(words.history(unit.name, lines, ctx.locale, sent_late=await _sent_late(ctx, unit, lines)))
    return Outcome([Reply("\n\n".join(texts))])


async def _sent_late(ctx: Context, unit: Unit, lines: list[HistoryLine]) -> dict[int, int]:
    """Each "done" of these updates: working days after its legal last day (a granted extension's) it came."""
    done = [line for line in lines if line.update.status == "done"]
    if not done:
        return {}
    since = min(line.occurrence.legal_last_day for line in done) - timedelta(days=1)
    granted = await ctx.store.granted_days(unit_id=unit.id or 0, since=since)
    found = {}
    for line in done:
        legal = granted.get((line.occurrence.duty_id, line.occurrence.nominal), line.occurrence.legal_last_day)
        sent_on = sent_day(line.update.at, ctx.config.tz)
        judged = verdict("done", sent_on, legal_last_day=legal, today=ctx.today, cal=ctx.calendar)
        found[line.update.id or 0] = judged.late
    return found


async def correct(ctx: Context, args: str) -> Outcome:
    person = ctx.actor.person
    last = await ctx.store.last_update_by(person_id=person.id) if person and person.id else None
    if last is None:
        return Outcome([Reply(words.nothing_to_correct(ctx.locale))])
    deadline = await ctx.store.deadline(last.occurrence_id)
    unit = await ctx.store.unit(last.unit_id)
    assert deadline is not None
    assert unit is not None
    occurrence, duty = deadline
    if not args.strip():
        return Outcome([Reply(words.correct_usage(unit.name, last, ctx.locale))])
    reading = parse_status(args, today=ctx.today)
    target = Target(occurrence, duty, unit)
    if reading.status == "unclear":
        from bot.core.updates import ask_status

        return await ask_status(ctx, target, args, reading)
    return await apply(ctx, target, reading, raw=f"/sua {args.strip()}")
