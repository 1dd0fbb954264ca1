"""The dispatcher records each outcome before its next send: what a stop, a crash and failed writes leave behind."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.app import App
from scheduler import dispatcher as dispatcher_module
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Transient, Unreachable
from storage import outcomes
from storage.claims import claim_due, release
from storage.models import ChannelAccount, Reminder
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import fake_time_limiter, register


async def reminders_by_chat(app: App) -> dict[str, Reminder]:
    async with app.sessions() as session:
        query = select(ChannelAccount.chat_id, Reminder).join(
            Reminder, col(Reminder.account_id) == col(ChannelAccount.id)
        )
        return {chat: reminder for chat, reminder in (await session.exec(query)).all()}


async def sent_chats(app: App) -> set[str]:
    return {chat for chat, reminder in (await reminders_by_chat(app)).items() if reminder.status == "sent"}


@dataclass
class HeldSender(FakeSender):
    """Sends at once, but for the `held`-th send, which waits for `release`: a slow answer."""

    held: int = 0
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        if len(self.attempts) + 1 == self.held:
            self.holding.set()
            await self.release.wait()
        return await super().send_reminder(message)


async def test_a_stop_in_the_middle_records_the_send_in_flight_and_hands_back_the_rest(
    app: App, clock: FakeClock
) -> None:
    users = [str(user) for user in range(7200, 7220)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    sender = HeldSender(clock=clock.now, held=4)
    service = app.reminders(sender, limits=Limits.off())
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    await sender.holding.wait()  # the fourth send waits for the server...
    service.dispatcher.stop()  # ...when Ctrl+C comes
    sender.release.set()
    stats = await run
    assert stats.sent == len(sender.delivered) == len(sender.attempts) == 4  # no send began after the stop
    rows = await reminders_by_chat(app)  # the one in flight is recorded too, once the dispatcher has returned
    delivered = {d.message.chat_id for d in sender.delivered}
    assert {chat for chat, row in rows.items() if row.status == "sent"} == delivered
    assert {row.status for chat, row in rows.items() if chat not in delivered} == {"pending"}
    assert all(row.claimed_until is None for row in rows.values())  # the rest is handed back at once
    assert all(rows[chat].message_id and rows[chat].attempts == 1 for chat in delivered)

    second = FakeSender(clock=clock.now)
    await app.reminders(second, limits=Limits.off()).tick()
    assert sorted(d.message.chat_id for d in sender.delivered + second.delivered) == users


@dataclass
class CheckingSender(FakeSender):
    """Looks at the outbox through another connection as each send begins: every earlier send's
    outcome must be committed by then (it released the row's claim), and no other send under way."""

    sessions: Any = None
    in_flight: int = 0
    most_in_flight: int = 0
    unrecorded_at_a_start: list[int] = field(default_factory=list)

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            earlier = [m.reminder_id for m in self.attempts]
            async with self.sessions() as session:
                query = select(Reminder.id).where(
                    col(Reminder.id).in_(earlier), col(Reminder.claimed_until).is_not(None)
                )
                self.unrecorded_at_a_start += (await session.exec(query)).all()
            return await super().send_reminder(message)
        finally:
            self.in_flight -= 1


async def test_each_outcome_is_committed_before_the_next_send_begins(app: App, clock: FakeClock) -> None:
    users = [str(user) for user in range(7250, 7262)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    sender = CheckingSender(clock=clock.now, sessions=app.sessions)
    sender.failures = {users[2]: [Transient("Bad Gateway")], users[5]: [Unreachable("Forbidden: bot was blocked")]}
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    # One at a time, however long this machine takes to answer (test_hung_sends.py: beside a slow one)
    service.dispatcher.most_in_flight = 1
    await service.planner.plan(clock.now())
    stats = await service.dispatcher.dispatch_due()
    assert (stats.sent, stats.retried, stats.undeliverable) == (10, 1, 1)
    assert len(sender.attempts) == 12
    assert sender.unrecorded_at_a_start == []  # sent, failed or given up: written before the next send
    assert sender.most_in_flight == 1  # one message in flight: a crash can re-send no more than it


async def test_failures_are_each_recorded_as_what_they_are(app: App, clock: FakeClock) -> None:
    ok, blocked, rejected, flaky, slowed = "7301", "7302", "7303", "7304", "7305"
    for user in (ok, blocked, rejected, flaky, slowed):
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    sender = FakeSender(clock=clock.now)
    sender.failures = {
        blocked: [Unreachable("Forbidden: bot was blocked by the user", code="blocked")],
        rejected: [Rejected("Bad Request: message is too long")],
        flaky: [Transient("Bad Gateway")],
        slowed: [RetryLater(7)],
    }
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    stats = (await service.tick()).dispatched
    assert (stats.sent, stats.undeliverable, stats.retried) == (1, 2, 2)
    rows = await reminders_by_chat(app)
    now = clock.now()
    assert (rows[ok].status, rows[ok].attempts, rows[ok].sent_at, rows[ok].message_id) == ("sent", 1, now, "1")
    assert (rows[blocked].status, rows[blocked].last_error) == (
        "undeliverable",
        "Forbidden: bot was blocked by the user",
    )
    assert (rows[rejected].status, rows[rejected].last_error) == ("undeliverable", "Bad Request: message is too long")
    assert (rows[flaky].status, rows[flaky].attempts, rows[flaky].last_error) == ("pending", 1, "Bad Gateway")
    assert now + timedelta(seconds=1.5) <= rows[flaky].next_attempt_at <= now + timedelta(seconds=2.5)  # 2 s ± 20%
    assert (rows[slowed].status, rows[slowed].attempts) == ("pending", 0)  # a 429 is not a failed attempt
    assert rows[slowed].next_attempt_at == now + timedelta(seconds=7)
    assert all(row.claimed_until is None for row in rows.values())
    async with app.sessions() as session:
        marked = (await session.exec(select(ChannelAccount.chat_id, ChannelAccount.unreachable_reason))).all()
    assert {chat: reason for chat, reason in marked if reason} == {blocked: "blocked"}

    clock.advance(timedelta(seconds=10))
    await service.tick()
    assert sorted(m.chat_id for m in (d.message for d in sender.delivered)) == [ok, flaky, slowed]


class Database:
    """Stands between the dispatcher and its outcome writes: away for the tries numbered in `away`
    (from 1), or for all while `down`."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, events: list[str], *, away: frozenset[int] = frozenset()
    ) -> None:
        self.away = away
        self.down = False
        self.tries = 0
        self.events = events
        write = outcomes.OutcomeWriter.write

        async def guarded(writer: outcomes.OutcomeWriter, results: list[outcomes.Outcome]) -> None:
            self.tries += 1
            if self.down or self.tries in self.away:
                self.events.append("write failed")
                raise RuntimeError("connection refused")
            await write(writer, results)
            self.events.append("written")

        monkeypatch.setattr(outcomes.OutcomeWriter, "write", guarded)


@dataclass
class LoggingSender(FakeSender):
    events: list[str] = field(default_factory=list)

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        self.events.append("send")
        return await super().send_reminder(message)


async def test_a_write_that_fails_is_tried_again_until_it_succeeds_and_nothing_is_sent_meanwhile(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    users = [str(user) for user in range(7350, 7356)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    events: list[str] = []
    Database(monkeypatch, events, away=frozenset({1, 3, 4, 5, 6, 7}))  # a moment for the first outcome, longer after
    sender = LoggingSender(clock=clock.now, events=events)
    service = app.reminders(sender, limits=Limits.off())
    pauses: list[float] = []

    async def pause(seconds: float) -> None:  # the pauses between tries, without waiting for them
        pauses.append(seconds)

    service.dispatcher.sleep = pause
    await service.planner.plan(clock.now())
    stats = await service.dispatcher.dispatch_due()
    assert stats.sent == len(sender.delivered) == 6
    assert pauses == [0.05, 0.05, 0.2, 1.0, 5.0, 5.0]  # growing, then every 5 s until the database is back
    assert events == [
        "send",
        "write failed",
        "written",
        "send",
        *["write failed"] * 5,
        "written",
        *["send", "written"] * 4,
    ]  # the outcome waits in memory; no send begins until it is written
    assert await sent_chats(app) == set(users)
    assert "could not record reminder outcomes yet" in caplog.text


async def test_a_stop_while_the_database_is_away_loses_only_that_outcome(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    users = [str(user) for user in range(7360, 7380)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    events: list[str] = []
    database = Database(monkeypatch, events)
    database.down = True
    sender = LoggingSender(clock=clock.now, events=events)
    service = app.reminders(sender, limits=Limits.off())
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:
            service.dispatcher.stop()  # Ctrl+C while the first outcome still cannot be written

    service.dispatcher.sleep = pause
    await service.planner.plan(clock.now())
    with pytest.raises(RuntimeError, match="connection refused"):
        await service.dispatcher.dispatch_due()
    assert events == ["send", *["write failed"] * 4]  # one more try after the stop, then it gives up
    assert "sent again when the lease ends" in caplog.text

    database.down = False  # the database is back
    clock.advance(timedelta(minutes=3))  # and the leases have run out
    second = FakeSender(clock=clock.now)
    await app.reminders(second, limits=Limits.off()).tick()
    received = Counter(d.message.chat_id for d in sender.delivered + second.delivered)
    assert sorted(received) == users  # none lost...
    assert [chat for chat, count in received.items() if count > 1] == [sender.delivered[0].message.chat_id]
    assert await sent_chats(app) == set(users)  # ...and only the one whose outcome was lost went twice


@dataclass
class DyingSender(FakeSender):
    """The server accepts the `dies_at`-th message, and its answer never comes back: the process is gone."""

    dies_at: int = 0
    dead: asyncio.Event = field(default_factory=asyncio.Event)

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        message_id = await super().send_reminder(message)
        if len(self.delivered) >= self.dies_at:
            self.dead.set()
            await asyncio.Event().wait()
        return message_id


async def test_a_crash_re_sends_only_the_message_in_flight(app: App, clock: FakeClock) -> None:
    users = [str(user) for user in range(7400, 7410)]
    for user in users:
        await register(app, int(user), "Dị Sử", name=f"CB {user}")
    crashed = DyingSender(clock=clock.now, dies_at=7)
    service = app.reminders(crashed, limits=Limits.off())
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    try:
        await crashed.dead.wait()  # the seventh was accepted; the process dies before it hears so
        first = [d.message.chat_id for d in crashed.delivered]
        assert await sent_chats(app) == set(first[:6])  # the six before it are recorded already

        survivor = FakeSender(clock=clock.now)
        restarted = app.reminders(survivor, limits=Limits.off())
        await restarted.tick()
        assert survivor.delivered == []  # every claimed row waits for its lease to expire...
        # a dead process claims nothing more: here its pass lives on in this process, and once the leases
        # ran out it would claim again, for a sender that never answers; so it ends now, as a crash ends it
        run.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await run
        clock.advance(timedelta(minutes=3))
        await restarted.tick()
        again = [d.message.chat_id for d in survivor.delivered]
        assert sorted(again) == sorted(set(users) - set(first[:6]))  # ...then everything not recorded goes, once
        assert set(again) & set(first) == {first[6]}  # the one in flight: sent twice, the only one
    finally:
        run.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await run


async def test_no_send_starts_too_late_for_its_outcome_to_be_recorded_within_the_lease(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [str(user) for user in range(7500, 7505)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")

    @dataclass
    class SlowSender(FakeSender):
        async def send_reminder(self, message: ReminderMessage) -> str | None:
            if not self.attempts:
                clock.advance(timedelta(seconds=100))  # the first send took 100 s of the 120 s lease
            return await super().send_reminder(message)

    claims = 0

    async def counted(*args: object, **kwargs: object) -> list[int]:
        nonlocal claims
        claims += 1
        return await claim_due(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatcher_module.claims, "claim_due", counted)
    sender = SlowSender(clock=clock.now)
    service = app.reminders(sender, limits=Limits.off())
    await service.planner.plan(clock.now())
    await service.dispatcher.dispatch_due()
    assert sorted(d.message.chat_id for d in sender.delivered) == users
    assert claims == 3  # the four others were handed back, claimed again with a new lease, then nothing was left
    assert await sent_chats(app) == set(users)


async def test_a_stop_during_a_wait_for_a_slot_sends_nothing_more(app: App, clock: FakeClock) -> None:
    users = [str(user) for user in range(7550, 7553)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    waiting, go_on = asyncio.Event(), asyncio.Event()

    async def long_pause(_seconds: float) -> None:  # a 429's retry_after, say
        waiting.set()
        await go_on.wait()

    sender = FakeSender(clock=clock.now)
    limiter = RateLimiter(Limits(), monotonic=lambda: 0.0, sleep=long_pause)  # every slot after the first waits
    service = app.reminders(sender, limiter=limiter)
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    await waiting.wait()
    service.dispatcher.stop()
    go_on.set()
    await run
    assert len(sender.delivered) == 1  # the one sent before the stop; the one waiting for its slot is not sent
    rows = await reminders_by_chat(app)
    assert sorted(row.status for row in rows.values()) == ["pending", "pending", "sent"]
    assert all(row.claimed_until is None for row in rows.values())


async def test_handing_back_leaves_alone_a_claim_that_is_not_ours(app: App, clock: FakeClock) -> None:
    await register(app, 7601, "Bần Yên Nhân")
    service = app.reminders(FakeSender(clock=clock.now), limits=Limits.off())
    await service.planner.plan(clock.now())
    lease = clock.now() + timedelta(minutes=2)
    async with app.sessions() as session:
        ids = await claim_due(session, now=clock.now(), lease_until=lease, limit=10)
        assert len(ids) == 1
        await release(session, ids=ids, claimed_until=lease + timedelta(seconds=1))  # another's claim
        assert (await session.get(Reminder, ids[0])).claimed_until == lease  # type: ignore[union-attr]
        await release(session, ids=ids, claimed_until=lease)
        session.expire_all()
        assert (await session.get(Reminder, ids[0])).claimed_until is None  # type: ignore[union-attr]
