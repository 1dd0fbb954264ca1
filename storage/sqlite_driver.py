"""aiosqlite connections whose statements take one trip to the connection's thread, or none.

aiosqlite runs every call of a sqlite3 connection in its own thread; each call is a trip: a queue
put, a thread woken, the GIL handed over and back, a result posted through the event loop's
self-pipe, another turn of the loop. SQLAlchemy's aiosqlite adapter made four of them per statement
(create the cursor, execute, fetch all rows, close), and the rows are held in memory anyway: a
status update took nine (bench/README.md has what that cost).

Here the cursor does nothing until `execute`, which creates a sqlite3 cursor, runs the statement,
fetches its rows and closes it in one trip; fetching and closing afterwards only read what came
back. A statement that fails raises sqlite3's own error, as before. Server-side cursors
(`stream_results`, which the application does not use) get their rows all at once too. COMMIT and
ROLLBACK take no trip when no transaction is open (SQLite tells without one; sqlite3 then does
nothing anyway).

Two narrower modes, asked for around one statement (`in_this_thread`, `and_commit`):

* a read known to be short (an indexed lookup of a few rows) runs in the calling thread, the event
  loop's: its time in SQLite costs less than the trip. Reads in WAL mode do not wait for writers.
  Not a write this way: a write can wait for another process's lock, and a COMMIT can checkpoint.
* a write and the COMMIT of its transaction run in the same trip, for a transaction of one
  statement: SQLAlchemy's COMMIT that follows finds nothing open.

And one write that must not wait, below SQLAlchemy (`OneTripConnection.write_now`): the
dispatcher records each send before it begins the next, so that a crash re-sends one message at
most, and a trip to the thread and SQLAlchemy's execution around the one-row UPDATE were a third
of a send's CPU (bench/README.md). The statements
(compiled once by the caller) and their COMMIT run in the calling thread with SQLite's busy handler
and automatic checkpoint off (`busy_timeout` and `wal_autocheckpoint` 0, put back after): a write
lock held elsewhere fails them at once, and they are rolled back and made in the connection's
thread instead, waiting there as any write does. The COMMIT only appends to the WAL
(`synchronous=NORMAL`: no fsync); the next commit of another connection checkpoints.

The connections come through SQLAlchemy's documented `async_creator`, with the arguments the
dialect would have given aiosqlite; everything else (the adapter, the pool, transactions) is
SQLAlchemy's and aiosqlite's own.

What this leans on that aiosqlite does not promise: the private attributes in `PRIVATE_PARTS` of
its `Connection` (tested with the versions pyproject.toml pins). `available()` checks them; when
they are gone, or NHACVIEC_SQLITE_FAST_PATH=false, the engine uses SQLAlchemy's stock aiosqlite
driver (storage/db.py), which is slower and otherwise the same. tests/integration/test_sqlite_driver.py
fails the day they change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncConnection

# aiosqlite's own parts used here: its thread, its sqlite3 connection (`_conn` raises until connected,
# `_connection` is None), and its call to run a function in the thread.
PRIVATE_PARTS = ("_thread", "_conn", "_connection", "_execute")

_Description = tuple[tuple[Any, ...], ...] | None
_Outcome = tuple[list[Any], _Description, int, int | None]


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, many: bool, commit: bool) -> _Outcome:
    """The whole statement, its rows and what the cursor tells after it; then the COMMIT if asked."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        outcome = rows, description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()
    if commit:
        connection.commit()
    return outcome


_Statements = Sequence[tuple[str, Sequence[Any]]]


def _write(connection: sqlite3.Connection, statements: _Statements) -> None:
    """Statements of one transaction and its COMMIT; rolled back if one fails."""
    try:
        for sql, parameters in statements:
            connection.execute(sql, parameters)
        connection.commit()
    except BaseException:
        if connection.in_transaction:
            connection.rollback()
        raise


def _write_unless_busy(connection: sqlite3.Connection, statements: _Statements, settings: tuple[int, int]) -> bool:
    """`_write` without waiting for SQLite's lock nor checkpointing; False, and nothing written, if busy."""
    timeout, pages = settings
    connection.execute("PRAGMA busy_timeout=0")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    try:
        _write(connection, statements)
        return True
    except sqlite3.OperationalError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != sqlite3.SQLITE_BUSY:
            raise
        return False
    finally:
        connection.execute(f"PRAGMA busy_timeout={timeout}")
        connection.execute(f"PRAGMA wal_autocheckpoint={pages}")


class OneTripCursor:
    """The part of `aiosqlite.Cursor` SQLAlchemy's adapter uses, a statement in one trip."""

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _statement(self, sql: str, parameters: Any, *, many: bool) -> OneTripCursor:
        self._rows, self.description = [], None
        connection = self._connection
        here, commit = connection.here, connection.commit_after
        if here:
            outcome = _run(connection._conn, sql, parameters, many, commit)
        else:
            outcome = await connection._execute(  # type: ignore[no-untyped-call]  # aiosqlite's own, untyped
                lambda: _run(connection._conn, sql, parameters, many, commit)
            )
        self._rows, self.description, self.rowcount, self.lastrowid = outcome
        return self

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneTripCursor:
        return await self._statement(sql, () if parameters is None else parameters, many=False)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> OneTripCursor:
        return await self._statement(sql, parameters, many=True)

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors run each statement in one trip (or none, when asked)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], *, shared_across_threads: bool) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self.shared_across_threads = shared_across_threads  # sqlite3's check_same_thread=False
        self.here = False  # the next statements run in the calling thread (see in_this_thread)
        self.commit_after = False  # the next statement commits in its trip (see and_commit)
        self._settings: tuple[int, int] | None = None  # busy_timeout and wal_autocheckpoint (see write_now)

    def cursor(self) -> OneTripCursor:  # type: ignore[override]  # awaited by the adapter, like aiosqlite's
        return OneTripCursor(self)

    async def write_now(self, statements: _Statements) -> None:
        """Statements of one transaction (SQL and positional parameters) and its COMMIT: in the calling
        thread if SQLite takes them at once, else in one trip to this connection's thread."""
        if self.shared_across_threads and not self._conn.in_transaction:
            if self._settings is None:  # as the engine set them (storage/db.py), read once
                timeout = self._conn.execute("PRAGMA busy_timeout").fetchone()[0]
                pages = self._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
                self._settings = (int(timeout), int(pages))
            if _write_unless_busy(self._conn, statements, self._settings):
                return
        await self._execute(_write, self._conn, statements)  # type: ignore[no-untyped-call]  # aiosqlite's own

    # sqlite3 commits and rolls back only when a transaction is open (a write began one) and does
    # nothing otherwise; SQLite tells which without a trip. A session that only read still ends
    # with a ROLLBACK from SQLAlchemy: that trip was a tenth of a read-only message's CPU.
    async def commit(self) -> None:
        if self._connection is None or self._conn.in_transaction:
            await super().commit()

    async def rollback(self) -> None:
        if self._connection is None or self._conn.in_transaction:
            await super().rollback()


def _driver(connection: Connection) -> OneTripConnection | None:
    driver = connection.connection.driver_connection
    return driver if isinstance(driver, OneTripConnection) else None


async def one_trip_connection(connection: AsyncConnection) -> OneTripConnection | None:
    """The OneTripConnection under an async connection (for `write_now`), or None (PostgreSQL...)."""
    driver = (await connection.get_raw_connection()).driver_connection
    return driver if isinstance(driver, OneTripConnection) else None


@contextmanager
def in_this_thread(connection: Connection) -> Iterator[None]:
    """Statements on this connection, inside the block, run in the calling thread: for short reads only.

    Anything but a OneTripConnection shared across threads (PostgreSQL, an in-memory SQLite database)
    is left as it is.
    """
    driver = _driver(connection)
    if driver is None or not driver.shared_across_threads or driver.here:
        yield
        return
    driver.here = True
    try:
        yield
    finally:
        driver.here = False


@contextmanager
def and_commit(connection: Connection) -> Iterator[None]:
    """The one statement inside the block commits its transaction in the same trip.

    For a transaction of that one write; the caller's COMMIT after it then finds nothing open (and
    the caller must still make it, so SQLAlchemy ends its transaction too). Other drivers: nothing.
    """
    driver = _driver(connection)
    if driver is None:
        yield
        return
    driver.commit_after = True
    try:
        yield
    finally:
        driver.commit_after = False


def missing_parts() -> list[str]:
    """Those of `PRIVATE_PARTS` the installed aiosqlite lacks (see the module)."""
    probe = aiosqlite.Connection(partial(sqlite3.connect, ":memory:"), iter_chunk_size=64)  # not started
    return [name for name in PRIVATE_PARTS if not (hasattr(type(probe), name) or name in vars(probe))]


def available() -> bool:
    """Whether the installed aiosqlite still has everything this module uses."""
    return not missing_parts()


def creator(url: URL) -> Callable[[], Awaitable[Any]]:
    """SQLAlchemy's `async_creator` for an sqlite+aiosqlite URL, with the arguments its dialect gives aiosqlite."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(url)

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(
            partial(sqlite3.connect, *args, **kwargs),
            shared_across_threads=not kwargs.get("check_same_thread", True),
        )
        connection._thread.daemon = True  # as SQLAlchemy does: a forgotten connection never holds up exit
        await connection  # starts its thread and connects
        return connection

    return connect
