"""APScheduler wakes the planner and the dispatcher; the database holds the schedule itself.

At start the service catches up at once (whatever came due while it was down) in the background,
like any other pass: the channels answer chats meanwhile, and a failure (the database away) is
logged and tried again after growing pauses (`CATCH_UP_PAUSES`) until it succeeds; then the
regular wake-ups begin. `stop` ends it all within `STOP_GRACE`: the dispatcher finishes the send in
flight, records it and hands back the rows it claimed and did not send; a pass still busy after
that (a database that does not answer) is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
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

# Seconds before each new try of a failed catch-up; the last repeats (as often as the dispatcher wakes).
CATCH_UP_PAUSES = (0.5, 1.0, 2.0, 5.0)
STOP_GRACE = 1.5  # seconds a pass in flight has to end after `stop`: Docker's stop sends SIGKILL after 10
CANCELLED_WITHIN = 1.6  # seconds a cancelled pass gets to write what it can (scheduler/recorder.py STOP_WITHIN)


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
        catch_up_pauses: tuple[float, ...] = CATCH_UP_PAUSES,
    ) -> None:
        self.planner = planner
        self.dispatcher = dispatcher
        self.clock = clock
        self.plan_every = plan_every
        self.dispatch_every = dispatch_every
        self.catch_up_pauses = catch_up_pauses
        self.scheduler: AsyncIOScheduler | None = None
        self._jobs: set[asyncio.Task[object]] = set()
        self._stopping = asyncio.Event()
        self.caught_up = asyncio.Event()  # set once the start-up catch-up has succeeded

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

    def start(self) -> None:
        """Catch up at once in the background, then wake up on schedule; call from a running event loop."""
        task: asyncio.Task[object] = asyncio.create_task(self._catch_up())
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def _catch_up(self) -> None:
        tries = 0
        while not self._stopping.is_set():
            try:
                await self.tick()
            except Exception as exc:
                pause = self.catch_up_pauses[min(tries, len(self.catch_up_pauses) - 1)]
                tries += 1
                log.warning(
                    "the catch-up at start failed (%s); trying again in %g s",
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    pause,
                    exc_info=tries == 1,  # the whole story once, then one line a try
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
                continue
            if tries:
                log.info("caught up after %d failed tries", tries)
            self.caught_up.set()
            self.schedule()
            return

    def schedule(self) -> AsyncIOScheduler:
        """Start waking up (no catch-up first). Late wake-ups still run (no misfire grace)."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        options = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        scheduler.add_job(self._plan_job, IntervalTrigger(seconds=self.plan_every), id="planner", **options)
        scheduler.add_job(self._dispatch_job, IntervalTrigger(seconds=self.dispatch_every), id="dispatcher", **options)
        scheduler.start()
        self.scheduler = scheduler
        return scheduler

    async def stop(self) -> None:
        """Stop waking up; the passes in flight end within `STOP_GRACE` (the dispatcher records its last send)."""
        self._stopping.set()
        self.dispatcher.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        jobs = set(self._jobs)
        if not jobs:
            return
        _done, late = await asyncio.wait(jobs, timeout=STOP_GRACE)
        for task in late:
            log.warning("a pass did not end within %g s of the stop: cancelled", STOP_GRACE)
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=CANCELLED_WITHIN)
