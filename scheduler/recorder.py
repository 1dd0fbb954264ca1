"""The dispatcher's record of each send: written while the next message is prepared, retried until it is.

scheduler/dispatcher.py says why the next send waits for it.
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


class Recorder:
    """The outcome of the last send, written while the next message is prepared.

    `start` begins the write in the background; `written` waits for it, as the next send must. A
    write that fails is tried again after a pause (`WRITE_RETRY`), until it succeeds; once the
    dispatcher stops (or `last_try` is set) a failure is final and `written` raises it.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        stopping: asyncio.Event,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._writer = outcomes.OutcomeWriter(sessions)
        self._stopping = stopping
        self._sleep = sleep
        self._write: asyncio.Task[None] | None = None
        self.last_try = False

    def start(self, results: list[Outcome]) -> None:
        if self._write is not None:
            raise RuntimeError("the last outcome is not written yet")  # one send at a time, or the promise breaks
        self._write = asyncio.create_task(self._until_written(results))

    async def written(self) -> None:
        """Return once the last outcome is committed; raises if it could not be (see the class)."""
        write = self._write
        if write is None:
            return
        try:
            await asyncio.shield(write)  # a cancel of the caller leaves the write going
        finally:
            if write.done():
                self._write = None

    async def close(self) -> None:
        """Give back the writer's connection (after `written`)."""
        await self._writer.close()

    async def _until_written(self, results: list[Outcome]) -> None:
        tries = 0
        while True:
            try:
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
