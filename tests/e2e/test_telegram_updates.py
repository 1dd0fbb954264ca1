"""Status updates over HTTP as a person makes them: taps, words, a file, the wrong person."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from scheduler.runner import ReminderService
from tests.conftest import ADMIN_ID
from tests.e2e.test_telegram_reminders import register
from tests.fakes.telegram_api import FakeTelegramServer
from tests.helpers import recorded


@pytest.fixture
def reminders(app: App, telegram: TelegramChannel) -> ReminderService:
    return app.reminders(telegram, limits=Limits.off())


def buttons(message: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row}


async def test_a_tap_records_and_edits_the_reminder(server: FakeTelegramServer, reminders: ReminderService) -> None:
    await register(server, 2002, "Bần Yên Nhân", "Lan")
    await reminders.tick()
    reminder = await server.next_message(2002)
    await server.user(2002).tap(reminder, buttons(reminder)["⏳ Đang thực hiện"])
    confirmation = await server.next_message(2002)
    assert recorded(confirmation["text"]).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    edited = next(m for m in server.messages_to(2002) if m["message_id"] == reminder["message_id"])
    assert edited["text"].endswith("Lan đã cập nhật: đang thực hiện, lúc 08:00 02/01/2025")
    assert "reply_markup" not in edited  # the buttons are gone once the answer is recorded


async def test_free_text_and_a_reply_with_a_file(
    server: FakeTelegramServer, reminders: ReminderService, clock: FakeClock
) -> None:
    await register(server, 2002, "Bần Yên Nhân", "Lan")
    await reminders.tick()
    reminder = await server.next_message(2002)
    lan = server.user(2002)
    await lan.send("dang hoan thien, dk 8/1")
    assert "đang thực hiện, dự kiến xong 08/01/2025" in (await server.next_message(2002))["text"]
    await lan.send_document("KH-BYN.pdf", "application/pdf", caption="Kế hoạch", reply_to=reminder)
    answer = await server.next_message(2002)
    assert "Đã lưu tệp KH-BYN.pdf làm bản nộp." in answer["text"]
    office = await server.next_message(ADMIN_ID)
    assert (
        office["text"]
        == "📥 UBND phường Bần Yên Nhân đã gửi Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025: KH-BYN.pdf"
    )
    await server.user(ADMIN_ID).tap(office, buttons(office)["📥 Đã nhận"])
    assert (await server.next_message(ADMIN_ID))["text"].startswith("Đã xác nhận nhận được")
    assert (await server.next_message(2002))["text"].startswith("Văn phòng đã nhận Kế hoạch triển khai")


async def test_strangers_and_other_units_cannot_report(server: FakeTelegramServer, reminders: ReminderService) -> None:
    await register(server, 2002, "Bần Yên Nhân")
    await register(server, 2004, "Nội vụ")
    await reminders.tick()
    reminder = await server.next_message(2002)
    own = await server.next_message(2004)
    done = buttons(reminder)["✅ Đã nộp"]
    # Nội vụ's official sends the callback of Bần Yên Nhân's reminder (a forged tap): refused
    await server.user(2004).tap(own, done, check_button=False)
    assert (await server.next_message(2004))["text"].startswith("Chỉ cán bộ của phường Bần Yên Nhân")
    await server.user(9999, "Lạ").send("đã nộp")
    assert (await server.next_message(9999))["text"].startswith("Xin chào! Đây là Nhắc việc")


async def test_two_taps_at_once_and_a_tap_after_the_report_is_done(
    server: FakeTelegramServer, reminders: ReminderService
) -> None:
    await register(server, 2002, "Bần Yên Nhân")
    await reminders.tick()
    reminder = await server.next_message(2002)
    lan = server.user(2002)
    done = buttons(reminder)["✅ Đã nộp"]
    await asyncio.gather(lan.tap(reminder, done), lan.tap(reminder, done, check_button=False))
    answers = sorted([(await server.next_message(2002))["text"], (await server.next_message(2002))["text"]])
    assert answers[0].startswith("Đã ghi nhận trước đó") or answers[1].startswith("Đã ghi nhận trước đó")
    assert any(recorded(a).startswith("Đã ghi nhận: Phường Bần Yên Nhân") for a in answers)
    await lan.tap(reminder, done, check_button=False)
    assert (await server.next_message(2002))["text"].startswith("Đã ghi nhận trước đó")


async def test_no_reminder_after_done(server: FakeTelegramServer, reminders: ReminderService, clock: FakeClock) -> None:
    await register(server, 2002, "Bần Yên Nhân")
    await reminders.tick()
    await server.next_message(2002)
    await server.user(2002).send("đã nộp rồi ạ")
    assert (await server.next_message(2002))["text"].startswith("Đã ghi nhận")
    for _ in range(20):
        clock.advance(timedelta(days=1))
        await reminders.tick()
    assert not any(m["text"].startswith(("🔔", "⚠️")) for m in server.messages_to(2002)[-1:])
