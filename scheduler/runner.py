"""APScheduler wakes the planner and the dispatcher; the database holds the schedule itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.clock import Clock
from scheduler.dispatcher import Dispatcher, DispatchStats
from scheduler.planner import Planner

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    planned: int
    dispatched: DispatchStats


class ReminderService:
    def __init__(
        self,
        *,
        planner: Planner,
        dispatcher: Dispatcher,
        clock: Clock,
        plan_every: float = 60.0,
        dispatch_every: float = 5.0,
    ) -> None:
        self.planner = planner
        self.dispatcher = dispatcher
        self.clock = clock
        self.plan_every = plan_every
        self.dispatch_every = dispatch_every
        self.scheduler: AsyncIOScheduler | None = None
        self._jobs: set[asyncio.Task[object]] = set()

    async def tick(self) -> TickResult:
        """Plan what is due now, then send it: what every wake-up does, and what the demo's /time calls."""
        planned = await self.planner.plan(self.clock.now())
        return TickResult(planned, await self.dispatcher.dispatch_due())

    async def _plan_job(self) -> None:
        await self._guarded(self.planner.plan(self.clock.now()), "planner")

    async def _dispatch_job(self) -> None:
        await self._guarded(self.dispatcher.dispatch_due(), "dispatcher")

    async def _guarded(self, work: Awaitable[object], name: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._jobs.add(task)
        try:
            await work
        except Exception:
            log.exception("the %s failed; it runs again at the next wake-up", name)
        finally:
            if task is not None:
                self._jobs.discard(task)

    def start(self) -> AsyncIOScheduler:
        """Start waking up; call from a running event loop. Late wake-ups still run (no misfire grace)."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        scheduler.add_job(self._plan_job, IntervalTrigger(seconds=self.plan_every), id="planner", **options)
        scheduler.add_job(self._dispatch_job, IntervalTrigger(seconds=self.dispatch_every), id="dispatcher", **options)
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    async def stop(self) -> None:
        """Stop waking up and let the jobs in flight finish (the dispatcher records its last sends)."""
        self.dispatcher.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._jobs:
            await asyncio.wait(set(self._jobs), timeout=30)
