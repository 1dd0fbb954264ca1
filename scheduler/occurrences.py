"""Occurrences of the plan's duties with their ladders: what the planner acts on, /lich shows and
the digests count. A leaf of scheduler/: it imports the calendar, the ladder and storage only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import DeadlineRule, Occurrence, WorkCalendar, occurrences
from scheduler.ladder import Due, parse_hour, parse_ladder, schedule
from storage import db, outbox
from storage.models import Duty, Unit
from storage.models import Occurrence as StoredOccurrence
from storage.outbox import Window


@dataclass(frozen=True)
class PlannedOccurrence:
    """An occurrence with its ladder: what /lich shows and what the planner acts on."""

    duty: Duty
    occurrence: Occurrence
    dues: list[Due]
    units: list[Unit]


def kept(session: AsyncSession, planned: list[PlannedOccurrence]) -> list[PlannedOccurrence]:
    """The occurrences, their duties and units detached from the session that read them, to be
    remembered beyond it (`storage.db.kept` says why)."""
    for item in planned:
        db.kept(session, item.duty, *item.units)
    return planned


def ladder_of(duty: Duty, cal: WorkCalendar, tz: ZoneInfo, occurrence: Occurrence) -> list[Due]:
    return ladder_of_days(duty, cal, tz, occurrence.aim_day, occurrence.legal_last_day)


def ladder_of_days(duty: Duty, cal: WorkCalendar, tz: ZoneInfo, aim_day: date, legal_last_day: date) -> list[Due]:
    hour = parse_hour(duty.remind_at or "08:00")
    return schedule(aim_day, legal_last_day, parse_ladder(duty.ladder), hour=hour, cal=cal, tz=tz)


async def occurrences_between(
    session: AsyncSession, cal: WorkCalendar, tz: ZoneInfo, start: date, end: date
) -> list[PlannedOccurrence]:
    """Occurrences whose legal last day falls in [start, end], with their ladders and units."""
    duties = await outbox.plan_duties(session)
    return plan_occurrences(duties, cal, tz, start, end, windows=await outbox.plan_windows(session))


def rule_in_force(duty: Duty, windows: Mapping[int, Window] | None) -> DeadlineRule:
    """The duty's deadline rule, its deadlines limited to the days its plan is in force: nothing is
    asked before a plan's start nor after its end (or its issuer's)."""
    rule = DeadlineRule.from_dict(duty.rule)
    window = (windows or {}).get(duty.plan_id or 0)
    return rule if window is None else rule.within(*window)


def plan_occurrences(
    duties: Sequence[tuple[Duty, Sequence[Unit]]],
    cal: WorkCalendar,
    tz: ZoneInfo,
    start: date,
    end: date,
    *,
    windows: Mapping[int, Window] | None = None,
) -> list[PlannedOccurrence]:
    """The occurrences of the plan's duties (each with its groups' units) whose legal last day falls in
    [start, end] while their plan is in force (`windows`), with their ladders and the units valid on each."""
    planned = []
    for duty, units in duties:
        rule = rule_in_force(duty, windows)
        for found in occurrences(duty.key, rule, cal, start=start - timedelta(days=20), end=end):
            if start <= found.legal_last_day <= end:
                valid = [unit for unit in units if unit.valid_on(found.nominal)]
                planned.append(PlannedOccurrence(duty, found, ladder_of(duty, cal, tz, found), valid))
    return sorted(planned, key=lambda item: (item.occurrence.aim_day, item.duty.id or 0))


async def occurrence_row(session: AsyncSession, item: PlannedOccurrence) -> StoredOccurrence:
    """The occurrence's row, written the first time it is asked for (the caller commits)."""
    found = item.occurrence
    return await outbox.ensure_occurrence(
        session,
        duty_id=item.duty.id or 0,
        nominal=found.nominal,
        aim_day=found.aim_day,
        legal_last_day=found.legal_last_day,
        inclusive=found.inclusive,
        period_start=found.period_start,
        period_end=found.period_end,
    )
