"""`/capnhat <unit>: <update>` (office): a unit's update told by phone or on paper, recorded as the office's."""

from __future__ import annotations

from bot.core.choices import unit_choice
from bot.core.context import Context
from bot.core.names import UnitMatch, match_units, one_unit_named
from bot.core.targets import duty_title
from bot.core.types import Outcome, Reply
from bot.core.updates import apply, ask_status, named_targets, open_targets, which_duty
from messages import people
from messages import status as words
from messages.parser import parse_status
from messages.text import fold
from storage.models import Unit


def split_unit(args: str, units: list[Unit], ctx: Context) -> tuple[str, str, UnitMatch]:
    """The unit's name and the update: split at the first ':' or, without one, after the longest
    leading words that name exactly one unit ("Bần Yên Nhân đã nộp")."""
    name, colon, update = args.partition(":")
    if colon:
        return name.strip(), update.strip(), match_units(name, units, today=ctx.today)
    words_ = args.split()
    for count in range(len(words_) - 1, 0, -1):
        found = match_units(" ".join(words_[:count]), units, today=ctx.today)
        if found.unique is not None:
            return " ".join(words_[:count]), " ".join(words_[count:]), found
    return args.strip(), "", match_units(args, units, today=ctx.today)


async def record(ctx: Context, args: str) -> Outcome:
    """Read the update as an official's reply is read and record it for that unit, marked as the
    office's (`updates.apply` tells the unit's officials)."""
    units = await ctx.store.units()
    name, text, found = split_unit(args.strip(), units, ctx)
    if not name or not text:
        return Outcome([Reply(words.on_behalf_usage(ctx.locale))])
    unit = found.unique
    if unit is None:  # a button per candidate, each with the update, where Telegram's 64 bytes allow
        return unit_choice(ctx, name, found, units, lambda candidate: f"/capnhat {candidate.key}: {text}")
    reading = parse_status(text, today=ctx.today)
    targets = await open_targets(ctx, [unit], include_done=True)  # the office may correct a "done"
    if not targets:
        return Outcome([Reply(words.unit_has_no_open_duty(unit.name, ctx.locale))])
    targets = named_targets(text, targets) or targets
    if len(targets) > 1:
        return await which_duty(ctx, text, reading, targets)
    if reading.status == "unclear":
        return await ask_status(ctx, targets[0], text, reading)
    return await apply(ctx, targets[0], reading, raw=text)


async def close(ctx: Context, args: str) -> Outcome:
    """`/dong <unit>[: <report>]` (office): the unit owes these reports no more (it ended, or the office
    exempted it). Every open report of the unit, or those the words name; recorded as the office's and
    kept in the history, so no view counts them late and no reminder goes out. /capnhat reopens one."""
    units = await ctx.store.units()
    args, exempt = exempting(args)
    name, _colon, which = args.partition(":")
    name, which = name.strip(), which.strip()
    if not name:
        return Outcome([Reply(words.close_usage(ctx.locale))])
    unit, candidates = one_unit_named(name, units)  # an ended unit too: closing what it owed is the point
    if unit is None:
        text = people.unit_candidates(name, candidates, ambiguous=bool(candidates), locale=ctx.locale)
        return Outcome([Reply(text)])
    targets = await open_targets(ctx, [unit], include_done=exempt)  # a closed report may be exempted
    if exempt:
        targets = [target for target in targets if getattr(target.latest, "status", None) not in ("done", "exempt")]
    if which:
        targets = named_targets(which, targets)
    if not targets:
        return Outcome([Reply(words.nothing_to_close(unit.name, ctx.locale))])
    person = ctx.actor.person
    for target in targets:
        await ctx.store.record_status(
            occurrence_id=target.occurrence.id or 0,
            unit_id=unit.id or 0,
            status="exempt" if exempt else "closed",
            channel=ctx.actor.incoming.channel,
            at=ctx.now,
            person_id=person.id if person else None,
            by_office=True,
            raw_text=f"/dong {args.strip()}{' miễn' if exempt else ''}"[:2000],
        )
    ordered = sorted(targets, key=lambda target: target.occurrence.nominal)
    closed = [(duty_title(ctx, target.duty), target.occurrence.nominal) for target in ordered]
    return Outcome([Reply(words.closed_reports(unit.name, closed, ctx.locale, exempt=exempt))], recorded=True)


def exempting(args: str) -> tuple[str, bool]:
    """`/dong <unit>[: <report>] miễn`: the office exempts the unit (the on-time record counts it in
    neither), where a plain /dong closes it (counted as not sent). The words without "miễn", and whether."""
    words_ = args.split()
    if words_ and fold(words_[-1]) == "mien":
        return " ".join(words_[:-1]), True
    return args, False
