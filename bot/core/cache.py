"""What the core may remember between messages: the plan's deadlines of the day, and occurrence rows.

The plan is loaded at start and does not change while the bot runs, so the occurrences around a day
are the same for every message of that day; recomputing them (and asking the database for the same
occurrence rows) for each reply is what made a status update slow.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from scheduler.planner import PlannedOccurrence, occurrences_between
from storage import outbox, summary
from storage.models import Occurrence

WINDOW_BEFORE = timedelta(days=60)
WINDOW_AFTER = timedelta(days=90)


class CoreCache:
    def __init__(self) -> None:
        self._day: date | None = None
        self._planned: list[PlannedOccurrence] = []
        self._rows: dict[tuple[int, date], Occurrence] = {}
        self._unit_keys: dict[tuple[int, date], list[tuple[int, str]]] = {}
        self._unreachable: tuple[int, set[int]] | None = None  # (audience revision, units nobody can reach)

    async def planned(
        self, session: AsyncSession, cal: WorkCalendar, tz: ZoneInfo, start: date, end: date, *, today: date
    ) -> list[PlannedOccurrence]:
        """Occurrences whose legal last day falls in [start, end] (within a window around today)."""
        window = (today - WINDOW_BEFORE, today + WINDOW_AFTER)
        if not (window[0] <= start and end <= window[1]):
            return await occurrences_between(session, cal, tz, start, end)
        if self._day != today:
            self._planned = await occurrences_between(session, cal, tz, *window)
            self._day = today
        return [item for item in self._planned if start <= item.occurrence.legal_last_day <= end]

    def unit_keys(self, item: PlannedOccurrence) -> list[tuple[int, str]]:
        """(id, name) of the occurrence's units as plain values: reading 10,000 ORM attributes per
        summary cost ~10 ms, and units do not change while the plan is loaded."""
        key = (item.duty.id or 0, item.occurrence.nominal)
        found = self._unit_keys.get(key)
        if found is None:
            found = self._unit_keys[key] = [(unit.id or 0, unit.name) for unit in item.units]
        return found

    async def unreachable_units(self, session: AsyncSession) -> set[int]:
        """Units nobody can reach, worked out again only when the audience revision moved (someone
        registered, left, linked a channel or blocked the bot: the database's triggers count it).
        The revision is read first, so a change made meanwhile is seen by the next call."""
        revision = await summary.audience_revision(session)
        if self._unreachable is None or self._unreachable[0] != revision:
            self._unreachable = (revision, await summary.unreachable_units(session))
        return self._unreachable[1]

    async def occurrence_row(self, session: AsyncSession, item: PlannedOccurrence) -> Occurrence:
        key = (item.duty.id or 0, item.occurrence.nominal)
        row = self._rows.get(key)
        if row is None:
            found = item.occurrence
            row = await outbox.ensure_occurrence(
                session,
                duty_id=key[0],
                nominal=found.nominal,
                aim_day=found.aim_day,
                legal_last_day=found.legal_last_day,
                inclusive=found.inclusive,
                period_start=found.period_start,
                period_end=found.period_end,
            )
            self._rows[key] = row
        return row
