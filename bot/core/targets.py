"""What a status update is about (a unit's occurrence of a duty) and the small rules every feature
of the core shares about it. A leaf of bot/core: the features import it, it imports none of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.core.context import Context
from bot.core.types import Outcome, Reply
from messages import status as words
from messages.text import in_language
from storage.models import Duty, Occurrence, Role, StatusUpdate, Unit
from storage.people import Membership, OfficialView

OPEN_BEFORE = timedelta(days=30)  # a deadline this far ahead already takes reports
# A deadline this recent is shown even when every unit has sent its report; an older one only while
# some unit has not (late stays late: LATE_KEPT).
RECENT = timedelta(days=20)
# An occurrence's legal last day moves when the calendar is corrected: it is looked for this far around
OWED_SLACK = timedelta(days=60)


@dataclass(frozen=True)
class Target:
    occurrence: Occurrence
    duty: Duty
    unit: Unit
    reminder_id: int | None = None
    latest: StatusUpdate | Literal["unknown"] | None = "unknown"  # the unit's last update, when already read
    owed: bool = False  # known to be owed by the unit (found among its open reports)


def my_units(ctx: Context) -> list[Unit]:
    """The units the person reports for, each once: an official who is also the head has two roles
    and one unit (a choice or a message is per report, never per role)."""
    return units_of(ctx.actor.memberships)


def units_of(memberships: Sequence[Membership]) -> list[Unit]:
    units: dict[int, Unit] = {}
    for m in memberships:
        if m.official.role != Role.OFFICE:
            units.setdefault(m.unit.id or 0, m.unit)
    return list(units.values())


def per_person(views: Sequence[OfficialView]) -> list[OfficialView]:
    """A unit's officials, each person once: whoever holds two of its roles is told once."""
    seen: dict[int, OfficialView] = {}
    for view in views:
        seen.setdefault(view.person.id or 0, view)
    return list(seen.values())


def member_of(ctx: Context, unit: Unit) -> bool:
    """Whether the person is one of the unit's officials now (an official who moved is no longer)."""
    return any(m.unit.id == unit.id for m in ctx.actor.memberships if m.official.role != Role.OFFICE)


def refusal(ctx: Context, unit: Unit) -> Outcome | None:
    """The answer to someone who may not report for this unit, None when they may: its officials and
    the office may. Asked before anything is written (an update, a file, a draft, a snooze)."""
    if ctx.actor.is_office or member_of(ctx, unit):
        return None
    return Outcome([Reply(words.not_your_unit(unit.name, ctx.locale))])


async def owes(ctx: Context, target: Target) -> bool:
    """Whether the unit owes the occurrence, as the planner sees it: the duty (or task) names the unit,
    itself or through a group, and the unit is valid on the day the plan names. Ids in a button or a
    command are the sender's to forge; this is asked before anything is written about them."""
    if target.owed:
        return True
    occurrence = target.occurrence
    day = occurrence.legal_last_day
    planned = await ctx.cache.planned(
        ctx.store, ctx.calendar, ctx.config.tz, day - OWED_SLACK, day + OWED_SLACK, today=ctx.today
    )
    return any(
        item.duty.id == occurrence.duty_id
        and item.occurrence.nominal == occurrence.nominal
        and any(unit.id == target.unit.id for unit in item.units)
        for item in planned
    )


async def not_allowed(ctx: Context, target: Target) -> Outcome | None:
    """The answer when the person may not report for the target's unit, or the unit does not owe the
    report (no word of the report itself: it may be another unit's); None when the update may be written."""
    if (refused := refusal(ctx, target.unit)) is not None:
        return refused
    if not await owes(ctx, target):
        return Outcome([Reply(words.not_owed(target.unit.name, ctx.locale))])
    return None


def duty_title(ctx: Context, duty: Duty) -> str:
    return title_in(duty, ctx.locale)


def title_in(duty: Duty, locale: str) -> str:
    """The duty's title in the reader's language (the Vietnamese one when it has no other)."""
    return in_language(duty.title, duty.title_en, locale)
