"""Keeping to Telegram's limits: about 30 messages a second overall, 1 a second per chat, 20 a minute per group.

Each send reserves the earliest slot that breaks no limit, then waits for it. Reservations are made
without awaiting, so concurrent senders never share a slot. Time and sleep are injected for tests.

Several instances send for one bot: with a `shared` pace (storage/pace.py, on PostgreSQL) the overall
limit is kept across them. A send first waits for its slot here (its chat's, and this process's
overall pace), then books the overall slot in the database and waits for that too; a 429 pauses
everyone there as well. A booking made by another instance before a 429 is not taken back: it may
earn one 429 of its own, after which that instance pauses too.

Slots booked ahead are 1/29 s apart, so a send may leave one slot late and no more: a later one
brings 31 into a server's second. One instance alone books only once its last send is done, so
its lateness moves its own next slot too; two book while each other's slots are pending, and a
process the machine kept from running past its slot (tens of ms on a busy machine: two 429s in a
run of 300) would crowd the other's. So a slot woken up to more than half a slot late is booked
again (`LATE`) instead of used.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Limits:
    per_second: float | None = 29.0  # a little under 30, so a server's window never sees 31
    per_chat_interval: float = 1.0
    per_group_interval: float = 3.0  # 20 a minute

    @classmethod
    def off(cls) -> Limits:
        return cls(per_second=None, per_chat_interval=0.0, per_group_interval=0.0)


LATE = 0.5  # of a slot: a shared slot woken up to later than this is booked again
LATE_TRIES = 3  # bookings at most, the last used however late


class SharedPace(Protocol):
    """The overall pace of every instance sending for one bot (storage/pace.py)."""

    async def book(self, step: float) -> float | None:
        """Seconds to wait for the next overall slot, `step` after the last; None: keep your own pace."""

    async def pause(self, seconds: float) -> None: ...

    async def close(self) -> None: ...


class RateLimiter:
    def __init__(
        self,
        limits: Limits,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedPace | None = None,
    ) -> None:
        self.limits = limits
        self.shared = shared
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_global = 0.0
        self._next_chat: dict[str, float] = {}
        self._pauses = 0
        self.paused_seconds = 0.0  # all that servers asked to wait, for /metrics
        self._pausing: set[asyncio.Task[None]] = set()  # pauses on their way to the shared pace

    def reserve(self, chat: str, *, group: bool = False) -> float:
        """Book the next free slot for `chat`; returns how long to wait for it."""
        now = self._monotonic()
        slot = max(now, self._next_global, self._next_chat.get(chat, 0.0))
        if self.limits.per_second:
            self._next_global = slot + 1.0 / self.limits.per_second
        interval = self.limits.per_group_interval if group else self.limits.per_chat_interval
        if interval:
            self._next_chat[chat] = slot + interval
        if len(self._next_chat) > 50_000:  # forget chats whose slots are long past
            self._next_chat = {key: at for key, at in self._next_chat.items() if at > now}
        return slot - now

    async def acquire(self, chat: str, *, group: bool = False) -> None:
        """Wait for a free slot. A pause (429) while waiting cancels the booking: book again after it.

        Without that, every send booked before the 429 would still go out during the server's block,
        earn a 429 of its own and extend the block.
        """
        while True:
            pauses = self._pauses
            wait = self.reserve(chat, group=group)
            if wait > 0:
                await self._sleep(wait)
            if self.shared is not None and self.limits.per_second and self._pauses == pauses:
                await self._shared_slot(self.shared, 1.0 / self.limits.per_second)
            if self._pauses == pauses:
                return

    @property
    def pauses(self) -> int:
        """How many times a server asked to wait (a 429), for /metrics."""
        return self._pauses

    async def _shared_slot(self, shared: SharedPace, step: float) -> None:
        """Wait for the next overall slot of every instance; a slot woken up to late is booked again."""
        for _ in range(LATE_TRIES):
            asked = self._monotonic()
            wait = await shared.book(step)
            if wait is None or wait <= 0:  # the database is away, or the slot is now
                return
            await self._sleep(wait)
            if self._monotonic() - (asked + wait) <= step * LATE:
                return

    def pause(self, seconds: float) -> None:
        """The server asked us to wait (429 retry_after): no slot before then, for anyone (in every
        instance, with a shared pace); no pause at all for none."""
        if seconds <= 0:
            return
        self._pauses += 1
        self.paused_seconds += seconds
        self._next_global = max(self._next_global, self._monotonic() + seconds)
        if self.shared is not None:
            task = asyncio.get_running_loop().create_task(self.shared.pause(seconds))
            self._pausing.add(task)
            task.add_done_callback(self._pausing.discard)

    async def close(self) -> None:
        """Let the pauses on their way arrive, and give back the shared pace's connection."""
        if self._pausing:
            await asyncio.wait(set(self._pausing), timeout=2)
        if self.shared is not None:
            await self.shared.close()
