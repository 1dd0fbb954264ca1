"""One hung API call does not stall the fan-out (issue 27, item 2).

Every tenth send is never answered. The others go out at their slots meanwhile; a hung send ends
at the send timeout and is recorded as a failed try, retried later, once; each chat's messages
still go in order; every outcome is still committed before a later send begins.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import col, select

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from scheduler.sending import ReminderMessage
from storage.models import Reminder
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import register

SEND_TIMEOUT = 1.0  # seconds; the service's is longer, the rule the same


@dataclass
class HangingSender(FakeSender):
    """Never answers the sends whose number (from 1) is in `hang`; records when each other one arrived
    and when each hung one was given up."""

    hang: set[int] = field(default_factory=set)
    arrived_at: list[float] = field(default_factory=list)
    given_up_at: list[float] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if len(self.attempts) + 1 in self.hang:
                self.attempts.append(message)
                try:
                    await asyncio.Event().wait()  # no answer, ever; the message did not arrive
                finally:
                    self.given_up_at.append(time.monotonic())
            sent = await super().send_reminder(message)
            self.arrived_at.append(time.monotonic())
            return sent
        finally:
            self.in_flight -= 1


async def statuses(app: App) -> Counter[str]:
    async with app.sessions() as session:
        return Counter((await session.exec(select(Reminder.status))).all())


async def test_the_other_sends_go_on_while_one_in_ten_hangs_and_the_hung_ones_are_retried_once(
    app: App, clock: FakeClock
) -> None:
    users = list(range(7700, 7740))
    for user in users:
        await register(app, user, "Bần Yên Nhân", name=f"CB {user}")
    sender = HangingSender(clock=clock.now, hang={3, 13, 23, 33})
    service = app.reminders(sender, limits=Limits.off())
    service.dispatcher.send_timeout = SEND_TIMEOUT
    await service.planner.plan(clock.now())

    stats = await service.dispatcher.dispatch_due()

    assert len(sender.arrived_at) == 36
    assert len(sender.given_up_at) == 4
    assert max(sender.arrived_at) < min(sender.given_up_at)  # nobody waited for a hung send
    assert sender.most_in_flight <= 5  # the hung ones, and one more at a time
    assert (stats.sent, stats.retried) == (36, 4)
    assert (await statuses(app)) == Counter({"sent": 36, "pending": 4})
    async with app.sessions() as session:
        pending = (await session.exec(select(Reminder).where(col(Reminder.status) == "pending"))).all()
    assert all("no answer" in (row.last_error or "") and row.claimed_until is None for row in pending)

    clock.advance(timedelta(minutes=1))  # their retries are due
    await service.dispatcher.dispatch_due()
    received = Counter(d.message.chat_id for d in sender.delivered)
    assert sorted(received) == sorted(str(user) for user in users)
    assert max(received.values()) == 1
