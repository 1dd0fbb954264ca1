"""The office's commands about units and officials."""

from __future__ import annotations

from bot.core import unit_view
from bot.core.choices import unit_choice
from bot.core.context import Context
from bot.core.ids import parse_id
from bot.core.names import current, match_names, match_units
from bot.core.types import Button, Outcome, Reply
from messages import common, people
from messages import status as status_words
from messages.endings import ended_with_officials
from messages.text import fold
from storage.models import Unit
from storage.people import OfficialView


async def units_overview(ctx: Context, args: str) -> Outcome:
    """`/donvi`: every current unit (and the office) with its number of officials, units with none first."""
    units = await ctx.store.units()
    if args.strip():
        return await _unit_detail(ctx, args.strip(), units)
    counts = await ctx.store.official_counts()
    rows = [(unit, counts.get(unit.id or 0, 0)) for unit in units if current(unit, ctx.today)]
    rows.sort(key=lambda row: (row[1] > 0, row[0].id))
    text = people.unit_counts(rows, ctx.locale)
    # officials of a unit that ended are not forgotten: they wait for the office's decision
    ended = [(u.name, u.key, counts[u.id or 0]) for u in units if not current(u, ctx.today) and counts.get(u.id or 0)]
    if ended:
        text += "\n\n" + ended_with_officials(ended, ctx.locale)
    return Outcome([Reply(text)])


async def _unit_detail(ctx: Context, query: str, units: list[Unit]) -> Outcome:
    found = match_units(query, units, today=ctx.today)
    by_key = [unit for unit in units if unit.key == query]  # a key names an ended unit too (its decisions)
    unit = by_key[0] if by_key else found.unique
    if unit is None:
        return unit_choice(ctx, query, found, units, lambda c: f"/donvi {c.key}")
    assert unit.id is not None
    officials = await ctx.store.active_officials(unit_id=unit.id)
    invitations = [inv for inv, u in await ctx.store.pending_invitations(now=ctx.now) if u.id == unit.id]
    text = people.unit_detail(
        unit=unit,
        officials=officials,
        invitations=invitations,
        upcoming=await ctx.upcoming(unit),
        locale=ctx.locale,
    )
    # The unit's updates, and those of the units merged into it: their history stays readable here.
    predecessors = [other for other in units if unit.key in other.successors]
    histories = []
    for member in [unit, *predecessors]:
        lines = await ctx.store.unit_history(unit_id=member.id or 0, limit=15)
        if lines or member is unit:
            histories.append(status_words.history(member.name, lines, ctx.locale))
    notes = [] if by_key else [people.merged_note(old, new, ctx.locale) for old, new in found.merged.items()]
    facts, buttons = await unit_view.extras(ctx, unit, units)
    return Outcome([Reply("\n\n".join(["\n".join([*notes, text, facts]), *histories]), buttons)])


async def pending(ctx: Context, _args: str) -> Outcome:
    rows = await ctx.store.pending_invitations(now=ctx.now)
    return Outcome([Reply(people.pending_invitations(rows, ctx.locale))])


async def revoke(ctx: Context, args: str) -> Outcome:
    """`/thuhoi <name, unit or number>`: end one official's registration."""
    query = args.strip()
    if not query:
        return Outcome([Reply(common.thuhoi_usage(ctx.locale))])
    officials = await ctx.store.active_officials()
    matches = _find_officials(ctx, query, officials)
    if not matches:
        return Outcome([Reply(common.no_such_official(query, ctx.locale))])
    if len(matches) > 1:
        buttons = [
            [Button(f"#{v.official.id} {v.person.display_name}", f"/thuhoi {v.official.id}")] for v in matches[:8]
        ]
        return Outcome([Reply(people.official_candidates(matches, ctx.locale), buttons)])
    view = matches[0]
    await ctx.store.end_official(view.official, now=ctx.now)
    await ctx.audit(
        "revoke",
        unit_id=view.unit.id,
        official_id=view.official.id,
        role=view.official.role,
    )
    replies = [Reply(people.revoked(view, ctx.locale))]
    locale = view.person.locale or ctx.config.locale
    for link in view.accounts:
        replies.append(Reply(people.you_were_revoked(view, locale), channel=link.channel, chat_id=link.chat_id))
    return Outcome(replies)


def _find_officials(ctx: Context, query: str, officials: list[OfficialView]) -> list[OfficialView]:
    if query.strip().startswith("#") or query.strip().isdigit():  # a number, even a forged one, is no name
        number = parse_id(query)
        return [view for view in officials if view.official.id == number]
    folded = fold(query)
    by_person = [view for view in officials if folded in fold(view.person.display_name)]
    if by_person:
        return by_person
    units = {view.unit.key: view.unit for view in officials}
    keys = {unit.key for unit in match_names(query, list(units.values()))}
    return [view for view in officials if view.unit.key in keys]
