"""The dispatcher's record of each send: written while the next message is prepared, retried until it is.

scheduler/dispatcher.py says why a send waits until every earlier outcome is committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import outcomes
from storage.outcomes import Outcome

log = logging.getLogger("scheduler.dispatcher")

WRITE_RETRY = (0.05, 0.2, 1.0, 5.0)  # seconds before each new try of a write that failed; the last repeats
# Seconds a try of a write may take: a database that drops our packets answers neither yes nor no.
WRITE_WITHIN = 5.0
# Seconds the outcomes not yet written get once the dispatcher stops (or is cancelled): the process must
# end within 5 s of a SIGTERM; what is not written by then is sent again when its lease ends.
STOP_WITHIN = 0.5


class Recorder:
    """The outcomes of the sends that ended, written in the background, several at once when several
    sends ended during one write.

    `start` hands over a send's outcomes; `written` waits until everything handed over is committed,
    as a new send must. A write that fails (or takes longer than `WRITE_WITHIN`) is tried again after a
    pause (`WRITE_RETRY`), until it succeeds; once the dispatcher stops (or `last_try` is set) a
    failure is final and `written` raises it. `written(within=...)` waits no longer than that.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        stopping: asyncio.Event,
        sleep: Callable[[float], Awaitable[None]],
        write_within: float = WRITE_WITHIN,
    ) -> None:
        self._writer = outcomes.OutcomeWriter(sessions)
        self._stopping = stopping
        self._sleep = sleep
        self._write_within = write_within
        self._queued: list[Outcome] = []
        self._write: asyncio.Task[None] | None = None
        self.last_try = False

    def start(self, results: list[Outcome]) -> None:
        self._queued.extend(results)
        if self._write is None or self._write.done():
            self._write = asyncio.create_task(self._drain())

    async def written(self, *, within: float | None = None) -> None:
        """Return once every outcome handed over is committed; raises if one could not be (see the class)."""
        while (write := self._write) is not None:
            if within is None:
                await asyncio.shield(write)  # a cancel of the caller leaves the write going
            else:
                await asyncio.wait({write}, timeout=within)
                if not write.done():
                    write.cancel()
                    self._write = None
                    log.error(
                        "could not record %d reminder outcomes within %g s of the stop: sent again when the lease ends",
                        len(self._queued) or 1,
                        within,
                    )
                    raise TimeoutError("the outcomes of the last sends were not written")
            if self._write is write:
                self._write = None
                write.result()  # the failure, if it failed

    async def close(self, *, within: float = STOP_WITHIN) -> None:
        """Give back the writer's connection (after `written`); one that does not answer is dropped."""
        try:
            async with asyncio.timeout(within):
                await self._writer.close()
        except TimeoutError:
            log.warning("the outcome writer's connection did not close within %g s; left to the process's end", within)

    async def _drain(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            await self._until_written(batch)

    async def _until_written(self, results: list[Outcome]) -> None:
        tries = 0
        while True:
            try:
                async with asyncio.timeout(self._write_within):
                    await self._writer.write(results)
                return
            except Exception:
                if self._stopping.is_set() or self.last_try:
                    log.error("could not record reminder outcomes: sent again when the lease ends", exc_info=True)
                    raise
                pause = WRITE_RETRY[min(tries, len(WRITE_RETRY) - 1)]
                tries += 1
                log.warning(
                    "could not record reminder outcomes yet (%d); no new send until they are, next try in %g s",
                    len(results),
                    pause,
                    exc_info=True,
                )
                await self._sleep(pause)
