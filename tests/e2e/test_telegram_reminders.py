"""Reminders over HTTP: the real bot, the real dispatcher, a Bot API server that misbehaves as the real one can."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.app import App
from bot.channels.telegram import TelegramChannel
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from scheduler.runner import ReminderService
from scheduler.sending import Rejected, ReminderMessage, RetryLater, Transient, Unreachable
from storage.models import ChannelAccount, Reminder
from tests.conftest import ADMIN_ID
from tests.fakes.telegram_api import FakeTelegramServer
from tests.helpers import recorded

LINK = re.compile(r"start=([A-Z2-9]{10})")


async def register(server: FakeTelegramServer, user_id: int, unit: str, name: str = "Cán bộ") -> None:
    admin = server.user(ADMIN_ID, "Văn phòng")
    await admin.send(f"/moi {unit}")
    code = LINK.search((await server.next_message(ADMIN_ID))["text"]).group(1)  # type: ignore[union-attr]
    await server.user(user_id, name).send(f"/start {code}")
    assert (await server.next_message(user_id))["text"].startswith("Đăng ký thành công")


@pytest.fixture
def reminders(app: App, telegram: TelegramChannel) -> ReminderService:
    return app.reminders(telegram, limits=Limits.off())


async def drain(service: ReminderService, clock: FakeClock, *, rounds: int = 40) -> None:
    """Wake up until nothing is pending, moving the fake clock past every backoff."""
    for _ in range(rounds):
        await service.tick()
        async with service.dispatcher.sessions() as session:
            pending = (await session.exec(select(Reminder).where(Reminder.status == "pending"))).all()
        if not pending:
            return
        clock.advance(timedelta(seconds=30))
    raise AssertionError("reminders still pending")


async def test_a_reminder_arrives_and_one_tap_ends_them(
    server: FakeTelegramServer, reminders: ReminderService, clock: FakeClock
) -> None:
    await register(server, 2002, "Bần Yên Nhân", "Lan")
    await reminders.tick()
    reminder = await server.next_message(2002)
    assert reminder["text"].splitlines()[:7] == [
        "🔔 Nhắc hạn báo cáo",
        "📋 Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025",
        "Theo Kế hoạch tổ chức thực hiện Chủ đề công tác năm 2025 của UBND thị xã Mỹ Hào",
        "🏢 Phường Bần Yên Nhân",
        "Hạn: trước ngày 10/01/2025 (thứ Sáu)",
        "Hạn chót theo quy định: hết ngày 09/01/2025 (thứ Năm)",
        "Còn 5 ngày làm việc.",
    ]
    keyboard = [[button["text"] for button in row] for row in reminder["reply_markup"]["inline_keyboard"]]
    assert keyboard == [["✅ Đã nộp", "⏳ Đang thực hiện"], ["📭 Chưa có số liệu", "⏰ Nhắc lại sau"]]
    done = reminder["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    query = await server.user(2002).tap(reminder, done)
    confirmation = await server.next_message(2002)
    assert recorded(confirmation["text"]).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    assert query in server.answered_callbacks
    clock.advance(timedelta(days=20))
    await reminders.tick()
    assert len(server.messages_to(2002)) == 3  # registration, the reminder, the confirmation: no more


async def test_a_429_is_obeyed(
    server: FakeTelegramServer, app: App, telegram: TelegramChannel, clock: FakeClock
) -> None:
    await register(server, 2002, "Bần Yên Nhân")
    service = app.reminders(telegram)  # the real limiter: a retry_after pause is real time
    server.fail_next(1, status=429, method="sendMessage", retry_after=1)
    await service.tick()
    assert server.stats.rate_limited == 1
    assert server.messages_to(2002)[-1]["text"].startswith("Đăng ký thành công")  # nothing sent yet
    clock.advance(timedelta(seconds=1))
    started = server.sent[-1].at
    await service.tick()
    reminder = server.sent[-1]
    assert reminder.text is not None
    assert reminder.text.startswith("🔔 Nhắc hạn báo cáo")
    assert reminder.at - started >= 0.9  # the limiter waited out retry_after before trying again


async def test_a_blocked_official_is_marked_unreachable(
    server: FakeTelegramServer, reminders: ReminderService, app: App
) -> None:
    await register(server, 2002, "Bần Yên Nhân")
    server.user(2002).block()
    await reminders.tick()
    async with app.sessions() as session:
        account = (await session.exec(select(ChannelAccount).where(ChannelAccount.user_id == "2002"))).one()
        reminder = (await session.exec(select(Reminder))).one()
    assert account.unreachable_reason == "blocked"
    assert (reminder.status, reminder.last_error) == ("undeliverable", "Forbidden: bot was blocked by the user")


async def test_every_reminder_arrives_exactly_once_through_a_flaky_server(
    server: FakeTelegramServer, reminders: ReminderService, clock: FakeClock
) -> None:
    users = list(range(3000, 3024))
    for user in users:
        await register(server, user, "Nội vụ" if user % 2 else "Dị Sử", f"CB {user}")
    before = Counter(record.chat_id for record in server.sent if record.method == "sendMessage")
    server.fail_ratio = 0.3
    await drain(reminders, clock)
    after = Counter(record.chat_id for record in server.sent if record.method == "sendMessage")
    delivered = after - before
    assert server.stats.server_errors > 0
    assert sorted(delivered) == users
    assert set(delivered.values()) == {1}


def a_reminder(chat_id: int, reminder_id: int = 41) -> ReminderMessage:
    return ReminderMessage(
        reminder_id=reminder_id,
        channel="telegram",
        chat_id=str(chat_id),
        locale="vi",
        audience="official",
        step="0",
        duty_title="Báo cáo tháng",
        duty_title_en="Monthly report",
        unit_name="Phường Bần Yên Nhân",
        nominal=date(2025, 1, 10),
        inclusive=False,
        aim_day=date(2025, 1, 9),
        legal_last_day=date(2025, 1, 9),
        working_days_left=1,
        period_start=None,
        period_end=None,
    )


async def worded(telegram: TelegramChannel, message: ReminderMessage) -> ReminderMessage:
    """As the dispatcher hands it over: with the core's words."""
    return await telegram.core.word_reminder(message)


async def test_send_reminder_tells_the_servers_answers_apart(
    server: FakeTelegramServer, telegram: TelegramChannel
) -> None:
    """The raw sendMessage keeps the error mapping the dispatcher relies on, and the message id."""
    await server.user(2002, "Lan").send("/start")  # the chat exists: the bot may write
    await server.next_message(2002)  # its welcome is out, so the failures below meet the reminders only
    message_id = await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
    sent = server.sent[-1]
    assert message_id == str(sent.message_id)
    assert sent.text is not None
    assert sent.text.splitlines()[:2] == ["🔔 Nhắc hạn báo cáo", "📋 Báo cáo tháng"]
    assert sent.reply_markup is not None
    assert sent.reply_markup["inline_keyboard"][0][0] == {"text": "✅ Đã nộp", "callback_data": "/baocao 41 done"}

    server.fail_next(1, status=429, method="sendMessage", retry_after=3)
    with pytest.raises(RetryLater) as slowed:
        await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
    assert slowed.value.seconds == 3.0
    server.fail_next(1, status=502, method="sendMessage")
    with pytest.raises(Transient):
        await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
    server.drop_next(1, method="sendMessage")
    with pytest.raises(Transient):
        await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
    server.fail_next(1, status=400, method="sendMessage")
    with pytest.raises(Rejected):
        await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
    with pytest.raises(Unreachable, match="never opened a chat with the bot"):
        await telegram.send_reminder(
            await worded(telegram, a_reminder(2999))
        )  # nobody wrote from this chat: "chat not found"
    server.user(2002).block()
    with pytest.raises(Unreachable, match="bot was blocked by the user"):
        await telegram.send_reminder(await worded(telegram, a_reminder(2002)))
