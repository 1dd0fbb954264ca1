"""`/lichsu`: a unit's updates; `/sua`: correct my last update (a new entry, history is never rewritten)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.names import match_units, one_unit_named
from bot.core.targets import Target, my_units
from bot.core.types import Outcome, Reply
from bot.core.updates import apply
from messages import status as words
from messages.parser import parse_status
from storage import repo, status
from storage.models import Duty, Occurrence, Unit


async def show(ctx: Context, args: str) -> Outcome:
    query = args.strip()
    units = my_units(ctx)
    if query and ctx.actor.is_office:
        every = await repo.units(ctx.session)
        found = match_units(query, every, today=ctx.today)
        unit = found.unique or one_unit_named(query, every)[0]  # an ended unit keeps its history
        if unit is None:
            return Outcome([Reply(words.history_which_unit(query, ctx.locale))])
        units = [unit]
    if not units:
        return Outcome([Reply(words.history_usage(ctx.locale))])
    texts = []
    for unit in units:
        lines = await status.unit_history(ctx.session, unit_id=unit.id or 0)
        texts.append(words.history(unit.name, lines, ctx.locale))
    return Outcome([Reply("\n\n".join(texts))])


async def correct(ctx: Context, args: str) -> Outcome:
    person = ctx.actor.person
    last = await status.last_update_by(ctx.session, person_id=person.id) if person and person.id else None
    if last is None:
        return Outcome([Reply(words.nothing_to_correct(ctx.locale))])
    occurrence = await ctx.session.get(Occurrence, last.occurrence_id)
    unit = await ctx.session.get(Unit, last.unit_id)
    duty = await ctx.session.get(Duty, occurrence.duty_id) if occurrence else None
    assert occurrence is not None
    assert unit is not None
    assert duty is not None
    if not args.strip():
        return Outcome([Reply(words.correct_usage(unit.name, last, ctx.locale))])
    reading = parse_status(args, today=ctx.today)
    target = Target(occurrence, duty, unit)
    if reading.status == "unclear":
        from bot.core.updates import ask_status

        return await ask_status(ctx, target, args, reading)
    return await apply(ctx, target, reading, raw=f"/sua {args.strip()}")
