"""`/capnhat <unit>: <update>` (office): a unit's update told by phone or on paper, recorded as the office's."""

from __future__ import annotations

from bot.core.choices import unit_choice
from bot.core.context import Context
from bot.core.names import UnitMatch, match_units
from bot.core.types import Outcome, Reply
from bot.core.updates import apply, ask_status, open_targets, which_duty
from messages import status as words
from messages.parser import parse_status
from storage import repo
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
    units = await repo.units(ctx.session)
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
    if len(targets) > 1:
        return await which_duty(ctx, text, reading, targets)
    if reading.status == "unclear":
        return await ask_status(ctx, targets[0], text, reading)
    return await apply(ctx, targets[0], reading, raw=text)
