"""The send path runs one way (issue 14): the dispatcher words each message, the channel only sends it;
each channel has its own rate limiter, shared by its reminders and its answers."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.sending import ReminderMessage, RetryLater
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import register


async def test_the_sender_is_handed_the_finished_words_and_buttons(app: App, clock: FakeClock) -> None:
    await register(app, 2002, "Bần Yên Nhân")
    sender = FakeSender(clock=clock.now)
    await app.reminders(sender, limits=Limits.off()).tick()
    [message] = sender.to(2002)
    assert message.text.splitlines()[0] == "🔔 Nhắc hạn báo cáo"
    assert message.buttons[0][0] == ("✅ Đã nộp", f"/baocao {message.reminder_id} done")
    assert message.text == (await app.core.render_reminder(message)).text


async def test_a_message_that_cannot_be_worded_is_retried_not_lost(app: App, clock: FakeClock) -> None:
    await register(app, 2002, "Bần Yên Nhân")
    sender = FakeSender(clock=clock.now)
    service = app.reminders(sender, limits=Limits.off())
    worded = service.dispatcher.render

    async def failing(message: ReminderMessage) -> ReminderMessage:
        raise ConnectionRefusedError(111, "Connect call failed")

    service.dispatcher.render = failing
    stats = await service.tick()
    assert (stats.dispatched.sent, stats.dispatched.retried) == (0, 1)
    assert sender.attempts == []  # nothing unworded reaches a channel
    service.dispatcher.render = worded
    clock.advance(timedelta(minutes=5))  # past the retry's backoff
    await service.tick()
    assert len(sender.to(2002)) == 1


async def test_a_429_on_one_channel_does_not_pause_another(app: App, clock: FakeClock) -> None:
    await register(app, 2002, "Bần Yên Nhân")
    limiters = {"telegram": RateLimiter(Limits()), "zalo": RateLimiter(Limits())}
    sender = FakeSender(clock=clock.now, failures={"2002": [RetryLater(30)]})
    service = app.reminders(sender, limiters=limiters)
    await service.tick()
    assert sender.attempts  # the telegram reminder met a 429...
    assert limiters["telegram"].reserve("someone") > 20  # ...which pauses Telegram's sends
    assert limiters["zalo"].reserve("someone") == 0  # and not Zalo's
