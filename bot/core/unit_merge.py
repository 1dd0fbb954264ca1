"""After a unit ends with a successor, the office decides, official by official, whether each moves to
the successor, and whether the tasks naming the unit move with them: nothing is kept or dropped
silently, and until it is decided `/donvi <unit>` lists what waits (bot/core/unit_view.py)."""

from __future__ import annotations

from bot.core import unit_view
from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.types import Outcome, Reply
from messages import units as words
from messages.text import fold
from storage.models import Unit
from storage.people import OfficialView

_YES, _NO = "chuyen", "khong"


async def ask(ctx: Context, unit: Unit, units: list[Unit]) -> Outcome:
    """The questions still open about an ended unit, each with its buttons."""
    found = await unit_view.waiting(ctx, unit, units)
    if found is None or found.empty:
        return Outcome([Reply(words.nothing_waiting(unit, ctx.locale))])
    text = words.waiting(unit, [found.successor], found.officials, found.duties, ctx.locale)
    return Outcome([Reply(text, unit_view.decision_buttons(ctx, found))])


async def decide(ctx: Context, unit: Unit, units: list[Unit], kind: str, rest: str) -> Outcome:
    """`/donvi <unit> cb <number> chuyen|khong` and `/donvi <unit> viec chuyen|khong`."""
    found = await unit_view.waiting(ctx, unit, units)
    words_given = fold(rest).split()
    answer = words_given[-1] if words_given else ""
    if found is None or answer not in (_YES, _NO):
        return await ask(ctx, unit, units)
    if kind == "tasks":
        outcome = await _tasks(ctx, found, moved=answer == _YES)
    else:
        number = words_given[0] if len(words_given) == 2 else ""
        views = [view for view in found.officials if view.official.id == parse_id(number)]
        if not views:
            return Outcome([Reply(words.no_such_official_here(number, unit, ctx.locale))])
        outcome = await _official(ctx, found, views[0], moved=answer == _YES)
    outcome.replies += (await ask(ctx, unit, units)).replies  # what is left to decide
    return outcome


async def _official(ctx: Context, found: unit_view.Waiting, view: OfficialView, *, moved: bool) -> Outcome:
    await ctx.store.end_official(view.official, now=ctx.now)
    detail = {"into": found.successor.key, "moved": moved, "person_id": view.person.id}
    await ctx.audit(
        "unit_merge_official",
        unit_id=found.unit.id,
        official_id=view.official.id,
        **detail,
    )
    if not moved:
        return Outcome([Reply(words.official_not_moved(view, ctx.locale))])
    new = await ctx.store.add_official(
        person_id=view.person.id, unit_id=found.successor.id, role=view.official.role, created_at=ctx.now
    )
    await ctx.audit(
        "unit_merge_official_added",
        unit_id=found.successor.id,
        official_id=new.id,
        person_id=view.person.id,
        came_from=found.unit.key,
    )
    replies = [Reply(words.official_moved(view, found.successor, ctx.locale))]
    locale = view.person.locale or ctx.config.locale
    for link in view.accounts:
        text = words.you_moved(found.unit, found.successor, locale)
        replies.append(Reply(text, channel=link.channel, chat_id=link.chat_id))
    return Outcome(replies)


async def _tasks(ctx: Context, found: unit_view.Waiting, *, moved: bool) -> Outcome:
    old, new = found.unit.key, found.successor.key
    ended = []
    for duty in found.duties:
        keys = [key for key in duty.units if key != old]
        if moved and new not in keys:
            keys.append(new)
        if keys or duty.groups:
            await ctx.store.change_duty(duty, units=keys)
        else:  # no unit left to report: the task ends, its history stays
            await ctx.store.change_duty(duty, units=keys, in_plan=False)
            ended.append(duty)
    await ctx.audit(
        "unit_merge_tasks",
        unit_id=found.unit.id,
        into=new,
        moved=moved,
        duties=[duty.key for duty in found.duties],
    )
    if moved:
        text = words.tasks_moved(found.duties, found.successor, ctx.locale)
    else:
        text = words.tasks_dropped(found.duties, found.unit, ended, ctx.locale)
    return Outcome([Reply(text)], plan_changed=True)
