"""`/nhom <name>: <unit>, …` (office): a group of units, made or changed in chat; `/nhom <name>` shows
it. The group is kept in the office's own plan, so a later plan file load leaves it alone."""

from __future__ import annotations

import re

from bot.core.context import Context
from bot.core.giao import office_plan
from bot.core.names import match_units
from bot.core.types import Outcome, Reply
from messages import groups as words
from messages.text import fold
from storage.models import Unit


def group_key(name: str) -> str:
    """'Khối phòng' is 'khoi-phong'; a key written as a key stays."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:64]


async def group(ctx: Context, args: str) -> Outcome:
    name, colon, listed = args.partition(":")
    key = group_key(name)
    groups = await ctx.store.groups()
    if not key:
        return Outcome([Reply(words.group_usage(sorted(groups), ctx.locale))])
    units = await ctx.store.units()
    if not colon:
        if key not in groups:
            return Outcome([Reply(words.no_such_group(key, sorted(groups), ctx.locale))])
        members = [unit.name for unit in units if unit.id in groups[key]]
        return Outcome([Reply(words.group_shown(key, members, ctx.locale))])
    names = [part.strip() for part in listed.split(",") if part.strip()]
    if not names:
        return Outcome([Reply(words.group_usage(sorted(groups), ctx.locale))])
    found: list[Unit] = []
    unknown = []
    for written in names:
        match = match_units(written, units, today=ctx.today)
        if match.unique is None:
            unknown.append(written)
        elif match.unique not in found:
            found.append(match.unique)
    if unknown:
        return Outcome([Reply(words.unknown_units(unknown, ctx.locale))])
    await keep_group(ctx, key, found)
    return Outcome([Reply(words.group_made(key, [unit.name for unit in found], ctx.locale))], plan_changed=True)


async def keep_group(ctx: Context, key: str, units: list[Unit]) -> None:
    """Write the group and name it in the office's plan (a plan file load keeps the groups other plans
    name); audited."""
    plan = await office_plan(ctx)
    if key not in plan.group_keys:
        await ctx.store.change_plan(plan, group_keys=sorted([*plan.group_keys, key]))
    await ctx.store.set_group(key=key, unit_ids=[unit.id or 0 for unit in units])
    await ctx.audit("group_set", group=key, units=[unit.key for unit in units])
