"""Locks that the database (or, for SQLite, the kernel) keeps for instances, each dying with its holder.

The start lock: one process at a time migrates a database and loads the plan into it. Two instances
started at the same moment on an empty database had both run the migrations ("table admin already
exists", "duplicate key ... pg_type") and both loaded the plan (a unit or group member written twice).
Holding this lock, the first does the work and the others find nothing left to do.

The run lock (`sole_run`): SQLite serves one `nhacviec run` at a time; a second is refused at start.
The poller locks (`PollerLock`, storage/poller_lock.py): one instance at a time polls each channel.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# PostgreSQL's advisory locks are named by a bigint, shared by every program on the database: the
# bytes of "nhacviec".
START_LOCK_KEY = int.from_bytes(b"nhacviec", "big")
_POLL = 0.05  # seconds between tries at a SQLite lock file another process holds


@asynccontextmanager
async def held(engine: AsyncEngine) -> AsyncIterator[None]:
    """The start lock of the engine's database, until exit."""
    if engine.dialect.name == "postgresql":
        async with _advisory_lock(engine):
            yield
        return
    path = sqlite_file(engine.url)
    if path is None:  # in memory: the database is this process's own
        yield
        return
    async with _file_lock(path + ".lock"):
        yield


def sqlite_file(url: URL) -> str | None:
    """The path of a SQLite URL's file, or None for an in-memory database."""
    if url.database in (None, "", ":memory:") or url.query.get("mode") == "memory":
        return None
    return url.database


@asynccontextmanager
async def _advisory_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """A session-level advisory lock on a connection of its own: a crash ends the session and frees it."""
    async with engine.connect() as connection:
        key = {"key": START_LOCK_KEY}
        taken = (await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key)).scalar_one()
        if not taken:
            log.info("another instance is migrating the database or loading the plan: waiting for it")
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
        await connection.commit()  # the lock outlives the transaction; the connection should not idle in one
        try:
            yield
        finally:
            await _unlock(connection)


async def _unlock(connection: AsyncConnection) -> None:
    try:
        await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": START_LOCK_KEY})
        await connection.commit()
    except (SQLAlchemyError, OSError):
        # A connection that cannot unlock must not go back to the pool holding the lock: closing it
        # ends its session, which frees the lock (or it was lost with the connection already).
        with suppress(SQLAlchemyError, OSError):
            await connection.invalidate()


class AlreadyRunning(Exception):
    """Another process holds the run lock of this SQLite database."""


@contextmanager
def sole_run(url: URL) -> Iterator[None]:
    """On a SQLite file, this process's claim to be its one `nhacviec run`, until exit: flock on
    `<database file>.run.lock`, which the kernel frees however the process ends. Raises
    `AlreadyRunning` at once when another process holds it. Nothing on PostgreSQL or in memory."""
    path = sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    if path is None:
        yield
        return
    descriptor = os.open(path + ".run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(path) from None
        yield
    finally:
        os.close(descriptor)


@asynccontextmanager
async def _file_lock(path: str) -> AsyncIterator[None]:
    """flock on a file beside the database: the kernel frees it when the process ends, however it ends."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waiting = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:  # polled, not blocked on: a blocked thread would hold up the event loop or exit
                if not waiting:
                    log.info("another instance is migrating the database or loading the plan: waiting for it")
                    waiting = True
                await asyncio.sleep(_POLL)
        yield
    finally:
        os.close(descriptor)  # closing the file releases the lock
