"""One poller a channel: the instance holding the channel's advisory lock polls it, the others wait.

Telegram hands each update to one long poll, and two pollers of one bot end each other's polls (409
Conflict); Zalo's getUpdates hands out one update a call. So among the instances on one PostgreSQL
exactly one polls each channel: the one holding its lock. Every instance calls `take` every few
seconds (`NHACVIEC_POLLER_CHECK_SECONDS`): for the holder it checks that the lock's connection still
answers, for the others it tries to take the lock.

The lock is session-level, on a connection of its own (as the start lock, storage/locks.py): when
its holder dies, PostgreSQL ends the session and frees it. A process that ends closes its socket and
the server sees that at once; a machine that vanishes is found out by TCP keepalives, set on this
connection to give up after about 20 s (`KEEPALIVES`), so another instance takes over within 30 s.

On SQLite, one instance (`db.sole_run`), and in memory, the lock is always this process's.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import suppress

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# The server probes an idle connection after 5 s, then every 5 s, and ends it after 3 probes unanswered.
KEEPALIVES = ("SET tcp_keepalives_idle = 5", "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3")
ANSWER_WITHIN = 5.0  # seconds for the lock's statements; past it the connection counts as lost


def poller_key(channel: str) -> int:
    """The advisory lock's bigint for a channel's poller (advisory locks are shared by every program on
    the database: these come from hashing our name and the channel's)."""
    digest = hashlib.blake2b(f"nhacviec poller {channel}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PollerLock:
    """A channel's poller lock for this instance: `take` (or keep) it, `release` it on the way out."""

    def __init__(self, engine: AsyncEngine, channel: str) -> None:
        self._engine = engine
        self._key = poller_key(channel)
        self._connection: AsyncConnection | None = None
        self.held = False

    async def take(self) -> bool:
        """Whether this instance holds the lock now: kept if its connection still answers, else taken if
        free. Raises when the database does not answer (nobody can take the lock from it meanwhile, but
        whether this instance still holds it is unknown)."""
        if self._engine.dialect.name != "postgresql":
            self.held = True
            return True
        try:
            async with asyncio.timeout(ANSWER_WITHIN):
                if self.held and self._connection is not None:
                    await self._connection.execute(text("SELECT 1"))  # its session, and so the lock, lives
                    return True
                self.held = False
                connection = self._connection or await self._connect()
                taken = await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
                self.held = bool(taken.scalar_one())
        except BaseException:
            await self._drop()
            raise
        return self.held

    async def release(self, *, within: float = ANSWER_WITHIN) -> None:
        """Unlock and give the connection back; a connection that cannot unlock within `within` seconds
        is dropped, which frees it."""
        if self._connection is not None and self.held:
            try:
                async with asyncio.timeout(within):
                    await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            except (SQLAlchemyError, OSError, TimeoutError):
                await self._drop()
        self.held = False
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(SQLAlchemyError, OSError, TimeoutError):
                async with asyncio.timeout(within):
                    await connection.close()

    async def _connect(self) -> AsyncConnection:
        connection = await self._engine.connect()
        self._connection = connection
        await connection.execution_options(isolation_level="AUTOCOMMIT")  # never idle in a transaction
        for statement in KEEPALIVES:
            await connection.execute(text(statement))
        return connection

    async def _drop(self) -> None:
        """Let go of a connection that failed: closed, not back to the pool (its session, and any lock, end)."""
        self.held = False
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(SQLAlchemyError, OSError):
                await connection.invalidate()
                await connection.close()
