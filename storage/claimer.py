"""Who claims outbox rows: a key alive exactly as long as the dispatcher pass that holds it.

A claim carries a lease (storage/claims.py), so a crashed sender's rows come back in the end; but
after a kill -9 its whole claimed batch waited out the lease (165 rows about two minutes at 120 s).
So each claim also names its claimer (`reminder.claimed_by`, migration 0024), and any dispatcher's
next pass hands back the claims of a claimer that is gone (`claims.release_orphans`):

* on PostgreSQL the key of a session-level advisory lock, held on a connection of its own for the
  pass: PostgreSQL ends the session of a process that dies (at once when its socket closes, after
  the keepalives for a machine that vanishes, `poller_lock.KEEPALIVES`), and the lock with it;
* on SQLite the process id: one machine, and a process that is not running holds nothing.

A pass lets go of its key at its end: a claim it could not resolve (an outcome the database did not
take) is then handed back by the next pass at once, rather than at the end of its lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.poller_lock import KEEPALIVES

TAKE_WITHIN = 5.0  # seconds for the lock's statements


class Claimer:
    """`key()` takes this pass's key (and its lock); `close()` lets go of both."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._driver: Any = None  # asyncpg's connection under it, which knows when its socket went
        self._key: int | None = None

    @property
    def postgresql(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    async def key(self) -> int:
        if not self.postgresql:
            return os.getpid()
        if self._key is not None and self.holding():
            return self._key
        await self._drop()  # a session lost (a restart of the database): a new key, a new lock
        key = secrets.randbelow(2**62 - 1) + 1  # positive: pg_locks shows it as two unsigned halves
        try:
            async with asyncio.timeout(TAKE_WITHIN):
                connection = self._connection = await self._engine.connect()
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                for statement in KEEPALIVES:
                    await connection.execute(text(statement))
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                self._driver = (await connection.get_raw_connection()).driver_connection
        except BaseException:
            await self._drop()
            raise
        self._key = key
        return key

    def holding(self) -> bool:
        """Whether the key's lock still holds, as far as this process can tell without asking: its
        connection was not lost (a reset, a restart of the database). Once it was, another dispatcher
        may hand this pass's claims back at any moment: no more sends in their name."""
        if not self.postgresql or self._key is None:
            return True
        driver = self._driver
        return driver is not None and not driver.is_closed()

    async def close(self, *, within: float = TAKE_WITHIN) -> None:
        """Unlock and give the connection back; one that does not answer within `within` s is dropped."""
        connection, key, self._connection, self._key = self._connection, self._key, None, None
        if connection is None:
            return
        try:
            async with asyncio.timeout(within):
                if key is not None:
                    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await connection.close()
        except (SQLAlchemyError, OSError, TimeoutError):
            self._connection = connection
            await self._drop()

    async def _drop(self) -> None:
        """Let go of a connection that failed: its session, and the lock, end with it."""
        connection, self._connection, self._key, self._driver = self._connection, None, None, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
                async with asyncio.timeout(1.0):
                    await connection.invalidate()
                    await connection.close()


def process_is_running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (SQLite's claimers)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: running
        return True
    return True
