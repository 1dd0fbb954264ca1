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


@dataclass(frozen=True)
class Target:
    occurrence: Occurrence
    duty: Duty
    unit: Unit
    reminder_id: int | None = None
    latest: StatusUpdate | Literal["unknown"] | None = "unknown"  # the unit's last update, when already read


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


def duty_title(ctx: Context, duty: Duty) -> str:
    return title_in(duty, ctx.locale)


def title_in(duty: Duty, locale: str) -> str:
    """The duty's title in the reader's language (the Vietnamese one when it has no other)."""
    return in_language(duty.title, duty.title_en, locale)
