"""The answer to a unit name that names no single unit: the candidates, each a button for the command."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.context import Context
from bot.core.names import UnitMatch, predecessors, suggestions
from bot.core.types import Button, Outcome, Reply
from messages import people
from storage.models import Unit


def unit_choice(
    ctx: Context, query: str, found: UnitMatch, units: list[Unit], command: Callable[[Unit], str]
) -> Outcome:
    """Several matches: those; a unit that starts later: when, and the units it is formed from; none: the
    units whose names look close. A tap runs `command(unit)`."""
    if len(found.upcoming) == 1:
        later = found.upcoming[0]
        parts = predecessors(later, units, today=ctx.today)
        buttons = [[Button(unit.name, command(unit))] for unit in parts[:8]]
        return Outcome([Reply(people.not_yet(later, parts, ctx.locale), buttons)])
    ambiguous = bool(found.units)
    candidates = found.units if ambiguous else suggestions(query, units, today=ctx.today)
    buttons = [[Button(unit.name, command(unit))] for unit in candidates[:8]]
    text = people.unit_candidates(query, candidates, ambiguous=ambiguous, locale=ctx.locale)
    return Outcome([Reply(text, buttons)])
