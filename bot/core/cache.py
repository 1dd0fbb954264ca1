"""What the core may remember between messages: the plan's deadlines of the day, and occurrence rows.

The occurrences around a day are the same for every message of that day while the plan stands;
recomputing them (and asking the database for the same occurrence rows) for each reply is what made a
status update slow. A plan loaded while the bot runs moves the plan's revision: `follow` then forgets
everything worked out from the old one.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkCalendar
from scheduler.occurrences import PlannedOccurrence, plan_occurrences
from storage.models import Occurrence
from storage.store import Store
from storage.store_reads import Reads

# A report a unit never sent stays open (late) until it is sent: the views look this far back for one.
LATE_KEPT = timedelta(days=3 * 366)
WINDOW_BEFORE = LATE_KEPT
WINDOW_AFTER = timedelta(days=90)


class CoreCache:
    def __init__(self) -> None:
        self._revision: int | None = None  # of the plan the rest was worked out from
        self._day: date | None = None
        self._planned: list[PlannedOccurrence] = []
        self._rows: dict[tuple[int, date], Occurrence] = {}
        self._unit_keys: dict[tuple[int, date], tuple[PlannedOccurrence, list[tuple[int, str]]]] = {}
        self._unreachable: tuple[int, set[int]] | None = None  # (audience revision, units nobody can reach)
        self.closed_for: tuple[date, int | None] | None = None  # (day, plan revision) what ended was closed

    def follow(self, revision: int) -> None:
        """Forget what was worked out from another revision of the plan: its occurrences, with their
        rows (a corrected calendar moves a last day) and units. (Who cannot be reached follows the
        audience revision, which a change of units moves too.)"""
        if revision != self._revision:
            self._revision = revision
            self._day = None
            self._planned = []
            self._rows.clear()
            self._unit_keys.clear()

    @property
    def revision(self) -> int | None:
        """The plan revision the rest was worked out from."""
        return self._revision

    def forget(self) -> None:
        """Forget the occurrence rows: a message that failed rolled back the rows it wrote, and a row
        remembered with an id the database never kept would fail every later write about it."""
        self._rows.clear()
        self.closed_for = None  # what ended may have been closed by the message that failed

    async def planned(
        self, store: Store, cal: WorkCalendar, tz: ZoneInfo, start: date, end: date, *, today: date
    ) -> list[PlannedOccurrence]:
        """Occurrences whose legal last day falls in [start, end] (within a window around today)."""
        window = (today - WINDOW_BEFORE, today + WINDOW_AFTER)
        if not (window[0] <= start and end <= window[1]):
            return plan_occurrences(await store.plan_duties(), cal, tz, start, end, windows=await store.plan_windows())
        planned = self._planned
        if self._day != today:
            revision = self._revision
            duties, windows = await store.plan_duties(), await store.plan_windows()
            planned = plan_occurrences(duties, cal, tz, *window, windows=windows)
            store.keep(*(row for item in planned for row in (item.duty, *item.units)))
            if revision == self._revision:  # else a newer plan came meanwhile: this one is not kept
                self._planned, self._day = planned, today
        return [item for item in planned if start <= item.occurrence.legal_last_day <= end]

    def unit_keys(self, item: PlannedOccurrence) -> list[tuple[int, str]]:
        """(id, name) of the occurrence's units as plain values: reading 10,000 ORM attributes per
        summary cost ~10 ms, and units do not change while the plan stands."""
        key = (item.duty.id or 0, item.occurrence.nominal)
        found = self._unit_keys.get(key)
        if found is None or found[0] is not item:  # the units of another day's (or plan's) occurrence
            found = self._unit_keys[key] = (item, [(unit.id or 0, unit.name) for unit in item.units])
        return found[1]

    async def unreachable_units(self, store: Reads) -> set[int]:
        """Units nobody can reach, worked out again only when the audience revision moved (someone
        registered, left, linked a channel or blocked the bot: the database's triggers count it).
        The revision is read first, so a change made meanwhile is seen by the next call."""
        revision = await store.audience_revision()
        if self._unreachable is None or self._unreachable[0] != revision:
            self._unreachable = (revision, await store.unreachable_units())
        return self._unreachable[1]

    async def occurrence_row(self, store: Store, item: PlannedOccurrence) -> Occurrence:
        key = (item.duty.id or 0, item.occurrence.nominal)
        row = self._rows.get(key)
        if row is None:
            revision = self._revision
            found = item.occurrence
            row, committed = await store.occurrence(
                duty_id=key[0],
                nominal=found.nominal,
                aim_day=found.aim_day,
                legal_last_day=found.legal_last_day,
                inclusive=found.inclusive,
                period_start=found.period_start,
                period_end=found.period_end,
            )
            store.keep(row)
            if committed and revision == self._revision:  # an id others may use
                self._rows[key] = row
        return row
