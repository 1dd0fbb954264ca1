"""A dispatcher pass's side of the claims: taking due rows in its claimer's name, handing back what it
did not send, and letting go of the claims of claimers that are gone (storage/claimer.py)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import claims
from storage.claimer import Claimer
from storage.claims import ReminderRow

log = logging.getLogger("scheduler.dispatcher")


class PassClaims:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._claimer: Claimer | None = None

    async def take(self, *, now: datetime, lease_until: datetime, limit: int) -> list[ReminderRow]:
        """Hand back the claims of claimers that are gone, then claim up to `limit` due rows."""
        claimer = self._claimer or Claimer(await self._engine())
        self._claimer = claimer
        mine = await claimer.key()
        async with self.sessions() as session:
            orphans = await claims.release_orphans(session, mine=mine, now=now)
            if orphans:
                log.info("handed back %d reminders claimed by a sender that is gone", orphans)
            ids = await claims.claim_due(session, now=now, lease_until=lease_until, limit=limit, claimed_by=mine)
            return await claims.reminder_rows(session, ids=ids) if ids else []

    def holding(self) -> bool:
        """Whether this pass may still send in its claimer's name (storage/claimer.py `holding`)."""
        return self._claimer is None or self._claimer.holding()

    async def release(self, ids: list[int], lease_until: datetime, *, within: float | None) -> None:
        """Hand back claimed rows not sent, within `within` seconds (else their claims wait for the next pass)."""
        try:
            async with asyncio.timeout(within):
                async with self.sessions() as session:
                    await claims.release(session, ids=ids, claimed_until=lease_until)
        except TimeoutError:
            log.warning("could not hand back %d claimed reminders in time: taken again later", len(ids))

    async def postpone(self, ids: list[int], until: datetime) -> None:
        async with self.sessions() as session:
            await claims.postpone(session, ids=ids, until=until)

    async def close(self, *, within: float) -> None:
        """Let go of the claimer: its claims not resolved go back at the next pass of any dispatcher."""
        if self._claimer is not None:
            await self._claimer.close(within=within)

    async def _engine(self) -> AsyncEngine:
        async with self.sessions() as session:
            engine = session.bind
        if not isinstance(engine, AsyncEngine):
            raise TypeError("the sessions must be bound to an engine")
        return engine
