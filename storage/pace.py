"""The send pace several instances share: a bot's messages a second are the bot's, whoever sends them.

Telegram counts about 30 messages a second per bot, whichever process sends them; two instances each
keeping to that pace in memory send twice as fast and earn 429s. On PostgreSQL each send books the
next free moment of its channel in one row (`send_pace`): one INSERT ... ON CONFLICT UPDATE ...
RETURNING, on the database's clock, which answers how long to wait for the slot booked. A 429 moves
the row past the pause, so every instance waits it out. The booking is a round trip on a connection
of its own, made while the dispatcher's last outcome is being written (scheduler/dispatcher.py).

A booking the database does not answer within `BOOK_WITHIN` is given up, and for `LOCAL_FOR`
seconds the process keeps to its own pace alone (scheduler/ratelimit.py): chats are still answered
while the database is away, and a pace kept by one instance of several is at worst the pace of
instances unaware of each other. SQLite serves one instance: its pace stays in memory (`for_engine`
gives None).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

BOOK_WITHIN = 1.0  # seconds for a booking before the process keeps its own pace
LOCAL_FOR = 5.0  # seconds of its own pace, after a booking failed, before the next try
_BOOK = text(
    "INSERT INTO send_pace AS pace (channel, next_at) "
    "VALUES (:channel, clock_timestamp() + make_interval(secs => :step)) "
    "ON CONFLICT (channel) DO UPDATE "
    "SET next_at = greatest(pace.next_at, clock_timestamp()) + make_interval(secs => :step) "
    "RETURNING extract(epoch FROM pace.next_at - clock_timestamp())"  # the end of the slot booked
)
_PAUSE = text(
    "INSERT INTO send_pace AS pace (channel, next_at) "
    "VALUES (:channel, clock_timestamp() + make_interval(secs => :pause)) "
    "ON CONFLICT (channel) DO UPDATE "
    "SET next_at = greatest(pace.next_at, clock_timestamp() + make_interval(secs => :pause))"
)


def for_engine(engine: AsyncEngine, channel: str) -> SharedPace | None:
    """The channel's shared pace on PostgreSQL; None on SQLite, which serves one instance."""
    return SharedPace(engine, channel) if engine.dialect.name == "postgresql" else None


class SharedPace:
    """One channel's pace in the database: `book` a slot, `pause` everyone after a 429, `close` at the end."""

    def __init__(self, engine: AsyncEngine, channel: str) -> None:
        self._engine = engine
        self._channel = channel
        self._connection: AsyncConnection | None = None
        self._turn = asyncio.Lock()  # one statement at a time on the connection
        self._local_until = 0.0  # time.monotonic() until which bookings are not tried

    async def book(self, step: float) -> float | None:
        """Book the channel's next slot, `step` seconds after the last one booked by any instance:
        the seconds to wait for it, or None when the database did not answer (keep your own pace)."""
        until_end = await self._run(_BOOK, {"channel": self._channel, "step": step})
        return None if until_end is None else float(until_end) - step  # type: ignore[arg-type]

    async def pause(self, seconds: float) -> None:
        """No slot for anyone before `seconds` from now (the server's 429 said so)."""
        await self._run(_PAUSE, {"channel": self._channel, "pause": seconds})

    async def close(self) -> None:
        async with self._turn:
            await self._drop(invalidate=False)

    async def _run(self, statement: object, params: dict[str, object]) -> object | None:
        if time.monotonic() < self._local_until:
            return None
        async with self._turn:
            try:
                async with asyncio.timeout(BOOK_WITHIN):
                    connection = self._connection or await self._connect()
                    result = await connection.execute(statement, params)  # type: ignore[call-overload]
                    return result.scalar() if result.returns_rows else None
            except (SQLAlchemyError, OSError, TimeoutError) as exc:
                await self._drop(invalidate=True)
                self._local_until = time.monotonic() + LOCAL_FOR
                log.warning(
                    "could not book a %s send slot in the database (%s): keeping this instance's own pace for %g s",
                    self._channel,
                    type(exc).__name__,
                    LOCAL_FOR,
                )
                return None

    async def _connect(self) -> AsyncConnection:
        connection = await self._engine.connect()
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        self._connection = connection
        return connection

    async def _drop(self, *, invalidate: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with suppress(SQLAlchemyError, OSError):
            if invalidate:  # a connection that failed mid-statement must not go back to the pool
                await connection.invalidate()
            await connection.close()
