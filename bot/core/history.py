"""`/lichsu`: a unit's updates; `/sua`: correct my last update (a new entry, history is never rewritten)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.names import match_units, one_unit_named
from bot.core.targets import Target, my_units
from bot.core.types import Outcome, Reply
from bot.core.updates import apply
from messages import status as words
from messages.parser import parse_status


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
        texts.append(words.history(unit.name, lines, ctx.locale))
    return Outcome([Reply("\n\n".join(texts))])


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
