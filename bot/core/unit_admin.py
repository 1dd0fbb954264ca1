"""The office's units as its own data: `/themdonvi` adds one; `/donvi <unit> đổi tên | kết thúc |
sắp xếp vào` renames, ends or merges one (each through the store, audited, the plan's revision moved
so the planner and every view follow at once)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core import office, unit_merge
from bot.core.choices import unit_choice
from bot.core.context import Context
from bot.core.limits import UNIT_NAME, name_problem
from bot.core.names import match_units, named_as
from bot.core.types import Outcome, Reply
from messages import units as words
from messages.deadline_words import read_day
from messages.text import fold
from messages.unit_kinds import KIND_WORDS, full_name, short_of
from storage.models import Unit

_VERBS = {
    ("doi", "ten"): "rename",
    ("ket", "thuc"): "end",
    ("sap", "xep", "vao"): "merge",  # Resolution 1666/NQ-UBTVQH15's verb
    ("sap", "nhap", "vao"): "merge",
}
_DECISIONS = {("cb",): "official", ("viec",): "tasks"}


async def add(ctx: Context, args: str) -> Outcome:
    """`/themdonvi <tên>; <phường|xã|phòng>[; <nhóm>...]`."""
    parts = [part.strip() for part in args.split(";")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        return _say(words.add_usage(ctx.locale))
    if (problem := name_problem(parts[0])) is not None:
        return _say(words.bad_name(problem, parts[0], UNIT_NAME, ctx.locale))
    kind = KIND_WORDS.get(" ".join(fold(parts[1]).split()))
    if kind is None:
        return _say(words.unknown_kind(parts[1], ctx.locale))
    units = await ctx.store.units()
    name = full_name(parts[0], kind)
    # a unit that has ended leaves its name free: an office set up again (as the phòng after 1/7/2025)
    current = [unit for unit in units if unit.valid_to is None or unit.valid_to >= ctx.today]
    taken = named_as(parts[0], current) or named_as(name, current)
    if taken:
        return _say(words.name_taken(taken[0], ctx.locale))
    groups = [group for group in parts[2:] if group]
    known = sorted(await ctx.store.groups())
    if unknown := [group for group in groups if group not in known]:
        return _say(words.unknown_groups(unknown, known, ctx.locale))
    short = short_of(name, kind)
    key = _free_key(short, await ctx.store.units(in_plan_only=False))
    unit = await ctx.store.add_unit(
        key=key, name=name, short_name=short, kind=kind, valid_from=ctx.today, groups=groups
    )
    await _audit(ctx, "unit_add", unit, name=name, kind=kind, groups=groups)
    return Outcome([Reply(words.unit_added(unit, groups, ctx.locale))], plan_changed=True)


async def donvi(ctx: Context, args: str) -> Outcome:
    """`/donvi`, `/donvi <unit>`, and the changes and decisions written after a unit's name."""
    tokens = args.split()
    folded = [fold(token) for token in tokens]
    for verbs, kind in (*_VERBS.items(), *_DECISIONS.items()):
        at = _find(folded, verbs)
        if at is None or at == 0:
            continue
        query, rest = " ".join(tokens[:at]), " ".join(tokens[at + len(verbs) :])
        units = await ctx.store.units()
        found = match_units(query, units, today=ctx.today)
        unit = next((u for u in units if u.key == query), None) or found.unique  # a key names an ended unit too
        if unit is None:
            return unit_choice(ctx, query, found, units, lambda u: f"/donvi {u.key}")
        if kind in ("official", "tasks"):
            return await unit_merge.decide(ctx, unit, units, kind, rest)
        return await _change(ctx, unit, units, kind, rest)
    return await office.units_overview(ctx, args)


async def _change(ctx: Context, unit: Unit, units: list[Unit], change: str, rest: str) -> Outcome:
    if not rest.strip():
        return _say(words.change_usage(unit.key, change, ctx.locale))
    if change == "rename":
        return await _rename(ctx, unit, units, rest.strip())
    if unit.valid_to is not None and unit.valid_to < ctx.today:
        return _say(words.already_ended(unit, ctx.locale))
    target, _sep, written = rest.rpartition(" ") if change == "merge" else ("", "", rest)
    written = re.sub(r"^(?:tu|từ)\s+", "", written.strip(), flags=re.IGNORECASE)
    first, problem = read_day(written, today=ctx.today)
    if first is None:
        return _say(words.bad_day(problem or "words", written, ctx.locale))
    if change == "end":
        await ctx.store.change_unit(unit, valid_to=first - timedelta(days=1))
        await _audit(ctx, "unit_end", unit, valid_to=unit.valid_to)
        return Outcome([Reply(words.ended(unit, ctx.locale))], plan_changed=True)
    return await _merge(ctx, unit, units, re.sub(r"\s+(?:tu|từ)$", "", target.strip()), first)


async def _rename(ctx: Context, unit: Unit, units: list[Unit], name: str) -> Outcome:
    if (problem := name_problem(name)) is not None:
        return _say(words.bad_name(problem, name, UNIT_NAME, ctx.locale))
    full = full_name(name, unit.kind)
    taken = [other for other in named_as(name, units) + named_as(full, units) if other.id != unit.id]
    if taken:
        return _say(words.name_taken(taken[0], ctx.locale))
    old = unit.name
    aliases = [*unit.aliases, *(n for n in (unit.name, unit.short_name) if n not in unit.aliases)]
    short = short_of(full, unit.kind)
    await ctx.store.change_unit(unit, name=full, short_name=short, aliases=aliases)
    await _audit(ctx, "unit_rename", unit, old=old, new=full)
    return Outcome([Reply(words.renamed(old, unit, ctx.locale))], plan_changed=True)


async def _merge(ctx: Context, unit: Unit, units: list[Unit], query: str, first: date) -> Outcome:
    found = match_units(query, units, today=first)
    target = next((u for u in units if u.key == query), None) or found.unique
    if target is None:
        return unit_choice(ctx, query, found, units, lambda u: f"/donvi {unit.key} sap xep vao {u.key} tu")
    if target.id == unit.id:
        return _say(words.not_into_itself(ctx.locale))
    if not target.valid_on(first):
        return _say(words.successor_not_valid(target, first, ctx.locale))
    await ctx.store.change_unit(unit, valid_to=first - timedelta(days=1), successors=[target.key])
    await _audit(ctx, "unit_merge", unit, into=target.key, valid_to=unit.valid_to)
    outcome = Outcome([Reply(words.merged(unit, target, ctx.locale))], plan_changed=True)
    if first <= ctx.today:  # ended already: the office decides at once about its officials and tasks
        outcome.replies += (await unit_merge.ask(ctx, unit, units)).replies
    else:
        outcome.replies.append(Reply(words.asked_from(unit, ctx.locale)))
    return outcome


def _find(folded: list[str], verbs: tuple[str, ...]) -> int | None:
    for at in range(len(folded) - len(verbs) + 1):
        if tuple(folded[at : at + len(verbs)]) == verbs:
            return at
    return None


def _free_key(short: str, units: list[Unit]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(short)).strip("-")[:40] or "don-vi"
    taken = {unit.key for unit in units}
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


async def _audit(ctx: Context, action: str, unit: Unit, **detail: object) -> None:
    values = {name: value.isoformat() if isinstance(value, date) else value for name, value in detail.items()}
    await ctx.audit(action, unit_id=unit.id, **values)


def _say(text: str) -> Outcome:
    return Outcome([Reply(text)])
