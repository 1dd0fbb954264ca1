"""The sends under way in one dispatcher pass: a new one starts beside a slow one, never beside a fast one.

A send answers in milliseconds, well inside a slot of the rate limit (1/29 s), so the dispatcher
normally has one message in flight and a hard crash re-sends at most that one (scheduler/dispatcher.py).
A hung call (no answer until the send timeout) must not hold every other chat's reminder: once the
sends in flight are all older than `HOLD`, or `SLOW` times the median answer when answers come slower
than a slot (a busy machine), the next starts beside them, up to `MOST` at once. A
chat's next message still waits for its last, so each chat gets its messages in order.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

HOLD = 1 / 29  # seconds a send has at least to answer before the next starts beside it: a slot at Telegram's pace
SLOW = 3  # ...or this many times the median answer of the last sends: slow for this machine and server, now
MOST = 32  # sends in flight at most (Telegram: 10% hung at 29 a second for 5 s is 15)
SEND_TIMEOUT = 10.0  # seconds a send may take; less than a poll's read timeout (Telegram 35 s, Zalo 45 s)


class Flights:
    def __init__(
        self, *, hold: float = HOLD, most: int = MOST, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.hold = hold
        self.most = most
        self._monotonic = monotonic
        self._tasks: dict[asyncio.Task[None], tuple[str, float]] = {}  # each send: its chat, when it began
        self._took: deque[float] = deque(maxlen=32)  # how long the last sends took

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, chat: str, send: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(send)
        self._tasks[task] = (chat, self._monotonic())
        task.add_done_callback(self._landed)

    def _landed(self, task: asyncio.Task[None]) -> None:
        _chat, began = self._tasks.pop(task, ("", 0.0))
        self._took.append(self._monotonic() - began)

    @property
    def patience(self) -> float:
        """How long a send in flight holds the next: a slot, or longer while answers come slowly (a busy
        machine), so that normally one message is in flight and a crash re-sends no more than it."""
        if not self._took:
            return self.hold
        return max(self.hold, SLOW * statistics.median(self._took))

    async def room_for(self, chat: str) -> None:
        """Wait until a send to `chat` may start: none to it in flight, fewer than `most` in flight,
        and each of them older than `patience`."""
        while True:
            same = {task for task, (to, _began) in self._tasks.items() if to == chat}
            if same:
                await asyncio.wait(same)
                continue
            if len(self._tasks) >= self.most:
                await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
                continue
            youngest = max((began for _to, began in self._tasks.values()), default=None)
            if youngest is None:
                return
            left = self.patience - (self._monotonic() - youngest)
            if left <= 0:
                return
            await asyncio.wait(set(self._tasks), timeout=left, return_when=asyncio.FIRST_COMPLETED)

    async def landed(self) -> None:
        """Wait for every send in flight to end (each ends by its timeout)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def cancel(self) -> None:
        """Give up the sends in flight: what became of them is unknown, so their rows stay claimed."""
        tasks = set(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=1)
