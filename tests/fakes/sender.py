"""A Sender that records what the dispatcher hands it, and fails on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from scheduler.sending import ReminderMessage, SendError


@dataclass
class Delivery:
    message: ReminderMessage
    at: datetime


@dataclass
class FakeSender:
    clock: Callable[[], datetime]
    delivered: list[Delivery] = field(default_factory=list)
    attempts: list[ReminderMessage] = field(default_factory=list)
    failures: dict[str, list[SendError]] = field(default_factory=dict)  # chat id -> errors to raise, in order
    gate: asyncio.Event | None = None  # when set, sends wait for it
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _attempted: asyncio.Event = field(default_factory=asyncio.Event)

    async def until_attempts(self, count: int) -> None:
        """Wait until the dispatcher has started `count` sends."""
        while len(self.attempts) < count:
            self._attempted.clear()
            await self._attempted.wait()

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        self.attempts.append(message)
        self._attempted.set()
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0)  # a cancel before this point means the server never got the message
        queued = self.failures.get(message.chat_id)
        if queued:
            raise queued.pop(0)
        self.delivered.append(Delivery(message, self.clock()))
        self.arrived.set()
        return str(len(self.delivered))

    def to(self, chat_id: int | str) -> list[ReminderMessage]:
        return [d.message for d in self.delivered if d.message.chat_id == str(chat_id)]

    def steps_to(self, chat_id: int | str) -> list[str]:
        return [m.step for m in self.to(chat_id)]
