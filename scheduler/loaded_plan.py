"""The plan as this process last read it, and how a running bot notices that a newer one was loaded.

`nhacviec plan load` (or another instance starting with an edited file) writes the plan while the bot
runs and moves the plan's revision (`storage.plan.load_plan`). What the bot worked out from the plan
(the occurrences around today, the calendar's corrections) stays good while the revision stands. The
revision is one row: the planner reads it on each tick (once a minute), the core at most once a
`CHECK_EVERY` when messages come, so a status update does not pay a query for it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from scheduler.calendar import WorkCalendar
from storage.plan import holiday_overrides, plan_revision
from storage.store import StoreFactory

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(minutes=1)


class PlanCalendar(WorkCalendar):
    """Working days with the plan's corrections, replaced in place when a newer plan is read: the
    planner, the dispatcher and the core share this one calendar."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        super().__init__()
        self.overrides: dict[date, bool] = dict(overrides or {})  # day -> True when the day is off

    def is_working_day(self, day: date) -> bool:
        off = self.overrides.get(day)
        if off is not None:
            return not off
        return super().is_working_day(day)


class LoadedPlan:
    """The plan's revision this process works from, and its calendar."""

    def __init__(self, *, revision: int, calendar: PlanCalendar) -> None:
        self.revision = revision
        self.calendar = calendar
        self._checked_at: datetime | None = None

    @classmethod
    async def read(cls, session: AsyncSession) -> LoadedPlan:
        revision = await plan_revision(session)  # first: a load meanwhile is seen by the next refresh
        return cls(revision=revision, calendar=PlanCalendar(await holiday_overrides(session)))

    async def refresh(self, stores: StoreFactory, now: datetime, *, every: timedelta = CHECK_EVERY) -> bool:
        """Look at the database's revision if `every` has passed since the last look (or the clock went
        back); when it moved, read the calendar's corrections again. True when it moved.

        Those who keep something worked out from the plan compare `revision` with theirs."""
        if self._checked_at is not None and timedelta(0) <= now - self._checked_at < every:
            return False
        self._checked_at = now  # before the query: the messages arriving meanwhile do not ask too
        async with stores() as store:
            revision = await store.plan_revision()
            if revision == self.revision:
                return False
            overrides = await store.holiday_overrides()
        self.calendar.overrides = overrides
        self.revision = revision
        log.info("a newer plan was loaded (revision %d): following it", revision)
        return True
