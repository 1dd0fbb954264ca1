"""The dispatcher records outcomes in batches: what a stop, a crash and failures in a batch leave behind."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.app import App
from scheduler import dispatcher as dispatcher_module
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Transient, Unreachable
from storage import outbox, outcomes
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


async def test_a_stop_in_the_middle_records_every_send_and_hands_back_the_rest(app: App, clock: FakeClock) -> None:
    users = [str(user) for user in range(7200, 7220)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    gate = asyncio.Event()
    sender = FakeSender(clock=clock.now, gate=gate)
    service = app.reminders(sender, limits=Limits.off())
    service.dispatcher.concurrency = 4
    service.dispatcher.record_rows = 1000  # nothing is written before the stop...
    service.dispatcher.record_seconds = 3600
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    await sender.until_attempts(4)
    service.dispatcher.stop()  # Ctrl+C while four sends are in flight
    gate.set()
    stats = await run
    assert stats.sent == len(sender.delivered) == 4
    rows = await reminders_by_chat(app)  # ...and everything is, once the dispatcher has returned
    delivered = {d.message.chat_id for d in sender.delivered}
    assert {chat for chat, row in rows.items() if row.status == "sent"} == delivered
    assert {row.status for chat, row in rows.items() if chat not in delivered} == {"pending"}
    assert all(row.claimed_until is None for row in rows.values())  # the rest is handed back at once
    assert all(rows[chat].message_id and rows[chat].attempts == 1 for chat in delivered)

    second = FakeSender(clock=clock.now)
    await app.reminders(second, limits=Limits.off()).tick()
    assert sorted(d.message.chat_id for d in sender.delivered + second.delivered) == users


async def test_failures_in_one_batch_are_each_recorded_as_what_they_are(app: App, clock: FakeClock) -> None:
    ok, blocked, rejected, flaky, slowed = "7301", "7302", "7303", "7304", "7305"
    for user in (ok, blocked, rejected, flaky, slowed):
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    sender = FakeSender(clock=clock.now)
    sender.failures = {
        blocked: [Unreachable("Forbidden: bot was blocked by the user")],
        rejected: [Rejected("Bad Request: message is too long")],
        flaky: [Transient("Bad Gateway")],
        slowed: [RetryLater(7)],
    }
    service = app.reminders(sender, limiter=fake_time_limiter(clock))
    assert service.dispatcher.record_rows > 5  # the five outcomes are written together
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
    assert {chat: reason for chat, reason in marked if reason} == {blocked: "Forbidden: bot was blocked by the user"}

    clock.advance(timedelta(seconds=10))
    await service.tick()
    assert sorted(m.chat_id for m in (d.message for d in sender.delivered)) == [ok, flaky, slowed]


async def test_a_write_that_fails_is_tried_again_and_loses_nothing(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    users = [str(user) for user in range(7350, 7356)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")
    record = outcomes.record
    written: list[int] = []

    async def locked_once(session: object, outcomes: list[outcomes.Outcome]) -> None:
        if not written:
            written.append(0)
            raise RuntimeError("database is locked")
        written.append(len(outcomes))
        await record(session, outcomes)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatcher_module.outcomes, "record", locked_once)
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limits=Limits.off())
    service.dispatcher.record_rows = 2
    await service.planner.plan(clock.now())
    stats = await service.dispatcher.dispatch_due()
    assert stats.sent == len(sender.delivered) == 6
    assert sum(written) == 6  # the two of the failed write were written with a later one
    assert await sent_chats(app) == set(users)
    assert "could not record reminder outcomes yet" in caplog.text


async def test_while_outcomes_cannot_be_written_no_new_send_starts(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [str(user) for user in range(7360, 7380)]
    for user in users:
        await register(app, int(user), "Bần Yên Nhân", name=f"CB {user}")

    async def database_away(session: object, outcomes: list[outcomes.Outcome]) -> None:
        raise RuntimeError("connection refused")

    record = outcomes.record
    monkeypatch.setattr(dispatcher_module.outcomes, "record", database_away)
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limits=Limits.off())
    service.dispatcher.concurrency = 1
    service.dispatcher.record_rows = 2
    await service.planner.plan(clock.now())
    with pytest.raises(RuntimeError, match="connection refused"):
        await service.dispatcher.dispatch_due()
    first = [d.message.chat_id for d in sender.delivered]
    assert 2 <= len(first) < 10  # sending stopped soon after the first write failed, not after all twenty

    monkeypatch.setattr(dispatcher_module.outcomes, "record", record)  # the database is back
    clock.advance(timedelta(minutes=3))  # and the leases have run out
    second = FakeSender(clock=clock.now)
    await app.reminders(second, limits=Limits.off()).tick()
    assert sorted(d.message.chat_id for d in second.delivered) == users  # the first ones again: never recorded
    assert await sent_chats(app) == set(users)


@dataclass
class DyingSender(FakeSender):
    """Delivers `alive` messages, then hangs in every send: the process is gone, nothing more happens."""

    alive: int = 0

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        if len(self.delivered) >= self.alive:
            self.attempts.append(message)
            self._attempted.set()
            await asyncio.Event().wait()
        return await super().send_reminder(message)


async def test_a_crash_re_sends_at_most_the_sends_not_yet_recorded(app: App, clock: FakeClock) -> None:
    users = [str(user) for user in range(7400, 7410)]
    for user in users:
        await register(app, int(user), "Dị Sử", name=f"CB {user}")
    crashed = DyingSender(clock=clock.now, alive=6)
    service = app.reminders(crashed, limits=Limits.off())
    service.dispatcher.concurrency = 1
    service.dispatcher.record_rows = 4  # the first four are written; the fifth and sixth wait...
    service.dispatcher.record_seconds = 3600
    await service.planner.plan(clock.now())
    run = asyncio.create_task(service.dispatcher.dispatch_due())
    try:
        await crashed.until_attempts(7)  # ...when the seventh send never returns
        for _ in range(500):  # the write of the first four is under way on the database's thread
            if len(await sent_chats(app)) == 4:
                break
            await asyncio.sleep(0.01)
        recorded = await sent_chats(app)
        first = [d.message.chat_id for d in crashed.delivered]
        assert recorded == set(first[:4])

        survivor = FakeSender(clock=clock.now)
        restarted = app.reminders(survivor, limits=Limits.off())
        await restarted.tick()
        assert survivor.delivered == []  # every claimed row waits for its lease to expire...
        clock.advance(timedelta(minutes=3))
        await restarted.tick()
        again = [d.message.chat_id for d in survivor.delivered]
        assert sorted(again) == sorted(set(users) - recorded)  # ...then everything not recorded goes, once
        assert set(again) & set(first) == set(first[4:])  # the two sent but not yet recorded: sent twice
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
    claim_due = outbox.claim_due

    async def counted(*args: object, **kwargs: object) -> list[int]:
        nonlocal claims
        claims += 1
        return await claim_due(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dispatcher_module.outbox, "claim_due", counted)
    sender = SlowSender(clock=clock.now)
    service = app.reminders(sender, limits=Limits.off())
    service.dispatcher.concurrency = 1
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
    service.dispatcher.concurrency = 1
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
        ids = await outbox.claim_due(session, now=clock.now(), lease_until=lease, limit=10)
        assert len(ids) == 1
        await outbox.release(session, ids=ids, claimed_until=lease + timedelta(seconds=1))  # another's claim
        assert (await session.get(Reminder, ids[0])).claimed_until == lease  # type: ignore[union-attr]
        await outbox.release(session, ids=ids, claimed_until=lease)
        session.expire_all()
        assert (await session.get(Reminder, ids[0])).claimed_until is None  # type: ignore[union-attr]
