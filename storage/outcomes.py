"""What became of claimed reminders, written back to the outbox; writing an outcome releases the claim.

`record` writes many in one transaction (the rows of a claimed batch cancelled before any send).
`OutcomeWriter` writes the outcome of one send, committed before `write` returns: the dispatcher's
next send waits for it (scheduler/dispatcher.py says why), so it is as cheap as a committed write
can be. A connection of its own, held while the writer is open: no session and no pool checkout a
message. One UPDATE by primary key, built once per set of columns. On SQLite the statements go
below SQLAlchemy, compiled once, and run with their COMMIT on the event loop when SQLite's lock is
free (`OneTripConnection.write_now`): through SQLAlchemy, in a trip to the connection's thread, the
write had cost the dispatcher a quarter more CPU a message (bench/README.md).
On PostgreSQL they go through SQLAlchemy, in one greenlet with the COMMIT. Either way after this
process's other writers (`db.writer_lock`). Each UPDATE sets absolute values: writing an outcome
twice changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver
from storage.db import writer_lock
from storage.models import ChannelAccount, Reminder


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed reminder: the columns to set. Recording it also releases the claim."""

    reminder_id: int
    values: Mapping[str, Any]
    unreachable: str | None = None  # the reason the recipient's account cannot be reached, to mark it
    account_id: int = 0


async def record(session: AsyncSession, outcomes: Sequence[Outcome]) -> None:
    """Write several outcomes in one transaction: one executemany UPDATE per set of columns.

    Core statements on the session's connection: no ORM objects are loaded.
    """
    if not outcomes:
        return
    by_statement: dict[Update, list[dict[str, Any]]] = {}
    for statement, params in _statements(outcomes):
        by_statement.setdefault(statement, []).append(params)
    connection = await session.connection()
    for statement, rows in by_statement.items():
        await connection.execute(statement, rows)
    await session.commit()


class OutcomeWriter:
    """Writes one send's outcomes at a time, each committed before `write` returns (see the module).

    A connection whose write failed is let go; the next write takes a new one. `close` gives the
    connection back.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._connection: AsyncConnection | None = None
        self._sqlite: sqlite_driver.OneTripConnection | None = None

    async def write(self, outcomes: Sequence[Outcome]) -> None:
        connection = self._connection or await self._open()
        statements = _statements(outcomes)
        try:
            async with writer_lock(connection.sync_engine) or contextlib.nullcontext():
                if self._sqlite is not None:
                    dialect = connection.dialect
                    await self._sqlite.write_now([_positional(statement, dialect, p) for statement, p in statements])
                else:
                    await connection.run_sync(_execute_and_commit, statements)
        except BaseException:
            await self.close(failed=True)
            raise

    async def close(self, *, failed: bool = False) -> None:
        """Give the connection back; after a failed write (a database that may not answer) drop it
        instead: giving it back would wait for its ROLLBACK."""
        connection, self._connection, self._sqlite = self._connection, None, None
        if connection is None:
            return
        if not failed:
            try:
                await connection.close()  # back to the pool
                return
            except Exception:
                pass
        with contextlib.suppress(Exception):
            await connection.invalidate()
            await connection.close()

    async def _open(self) -> AsyncConnection:
        async with self._sessions() as session:
            engine = session.bind
        if not isinstance(engine, AsyncEngine):
            raise TypeError("the sessions must be bound to an engine")
        connection = await engine.connect()
        try:
            self._sqlite = await sqlite_driver.one_trip_connection(connection)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection
        return connection


def _statements(outcomes: Sequence[Outcome]) -> list[tuple[Update, dict[str, Any]]]:
    statements: list[tuple[Update, dict[str, Any]]] = []
    for outcome in outcomes:
        if outcome.unreachable is not None:
            account = {"row_id": outcome.account_id, "unreachable_reason": outcome.unreachable[:300]}
            statements.append((_MARK_UNREACHABLE, account))
        params = {"claimed_until": None, **outcome.values, "row_id": outcome.reminder_id}
        statements.append((_set_outcome(tuple(sorted(params))), params))
    return statements


def _execute_and_commit(connection: Connection, statements: list[tuple[Update, dict[str, Any]]]) -> None:
    """The statements and the COMMIT in one greenlet: each call of an async connection runs in one of its own."""
    for statement, params in statements:
        connection.execute(statement, params)
    connection.commit()


_MARK_UNREACHABLE = (
    update(ChannelAccount)
    .where(col(ChannelAccount.id) == bindparam("row_id"))
    .values(unreachable_reason=bindparam("unreachable_reason"))
)
_SET_OUTCOME: dict[tuple[str, ...], Update] = {}  # built once per set of columns: SQLAlchemy hashes a new one each time


def _set_outcome(names: tuple[str, ...]) -> Update:
    statement = _SET_OUTCOME.get(names)
    if statement is None:
        columns: dict[str, Any] = {name: bindparam(name) for name in names if name != "row_id"}
        statement = update(Reminder).where(col(Reminder.id) == bindparam("row_id")).values(columns)
        _SET_OUTCOME[names] = statement
    return statement


_Processors = list[tuple[str, Callable[[Any], Any] | None]]
_COMPILED: dict[tuple[Update, str], tuple[str, _Processors]] = {}


def _positional(statement: Update, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The statement's SQL for this dialect and its parameters in order, each made what the column
    stores (aware datetimes to naive UTC text on SQLite...), as SQLAlchemy would have: compiled once."""
    key = (statement, dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect)
        processors: _Processors = [
            (name, compiled.binds[name].type.bind_processor(dialect)) for name in compiled.positiontup or []
        ]
        found = _COMPILED[key] = (compiled.string, processors)
    sql, steps = found
    return sql, [params[name] if process is None else process(params[name]) for name, process in steps]
