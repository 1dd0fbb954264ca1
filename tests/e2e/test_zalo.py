"""Zalo, played as a person would, against our fake Zalo Bot API server on loopback."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import App
from bot.channels import connect
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_webhook import unwrap
from bot.core import Outcome, Reply
from scheduler.clock import FakeClock
from scheduler.ratelimit import Limits
from storage.channel_traffic import RECEIVED_KEPT, first_delivery
from tests.conftest import ADMIN_ID
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import FakeZaloServer
from tests.helpers import CODE, code_in, recorded, say

TOKEN = "zalo-token-123"


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=TOKEN) as server:
        yield server


@pytest.fixture
async def zalo(app: App, zalo_server: FakeZaloServer) -> AsyncIterator[ZaloChannel]:
    channel = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root, poll_seconds=1)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


async def test_an_official_registers_on_zalo_and_answers_a_reminder_with_a_number(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, clock: FakeClock
) -> None:
    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code}")
    welcome = await zalo_server.next_message(lan.chat_id)
    assert welcome["text"].startswith("Đăng ký thành công: anh/chị là cán bộ đầu mối của phường Bần Yên Nhân.")
    reminders = app.reminders(zalo, limits=Limits.off())
    await reminders.tick()
    reminder = (await zalo_server.next_message(lan.chat_id))["text"]
    assert reminder.startswith("🔔 Nhắc hạn báo cáo")
    assert reminder.endswith(
        "Trả lời 1 = ✅ Đã nộp, 2 = ⏳ Đang thực hiện, 3 = 📭 Chưa có số liệu, 4 = ⏰ Nhắc lại sau"
    )
    await lan.send("1")
    answer = (await zalo_server.next_message(lan.chat_id))["text"]
    assert recorded(answer).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")


async def test_an_update_delivered_twice_is_handled_once(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel
) -> None:
    stranger = zalo_server.user(display_name="Lạ")
    update = await stranger.send("xin chào")
    first = await zalo_server.next_message(stranger.chat_id)
    assert first["text"].startswith("Xin chào! Đây là Nhắc việc")
    await stranger.redeliver(update)
    await stranger.send("/toi")  # the next real message is answered; the repeat never was
    assert (await zalo_server.next_message(stranger.chat_id))["text"].startswith("Anh/chị chưa đăng ký")
    assert len(zalo_server.messages_to(stranger.chat_id)) == 2


async def test_a_long_answer_is_split_at_line_boundaries(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel
) -> None:
    user = zalo_server.user(display_name="Lan")
    await user.send("/huongdan")
    await zalo_server.next_message(user.chat_id)
    lines = [f"• Dòng {n:03d}: Phường Bần Yên Nhân — đang thực hiện 60%" for n in range(120)]
    await zalo.deliver(user.chat_id, Outcome([Reply("\n".join(lines))]))
    parts = [message["text"] for message in zalo_server.messages_to(user.chat_id)[1:]]
    assert len(parts) > 2
    assert all(len(part) <= 2000 for part in parts)
    assert "\n".join(parts).split("\n") == lines  # cut between lines, nothing lost


def test_webhook_bodies_wrapped_or_bare() -> None:
    update = {"event_name": "message.text.received", "message": {"message_id": "ab", "text": "hi"}}
    assert unwrap({"ok": True, "result": update}) == update
    assert unwrap(update) == update
    assert unwrap({"ok": True}) is None
    assert unwrap([1, 2]) is None


async def test_the_webhook_checks_its_secret(app: App, zalo_server: FakeZaloServer) -> None:
    channel = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root)
    try:
        user = zalo_server.user(display_name="Lan")
        zalo_server.strict_chats = False
        update = {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": user.user_id, "display_name": "Lan"},
                "chat": {"id": user.chat_id, "chat_type": "PRIVATE"},
                "text": "/huongdan",
                "message_id": "0a1b2c",
                "date": 1750316131602,
            },
        }
        wrong = await channel.handle_webhook({"X-Bot-Api-Secret-Token": "nope-nope"}, b"{}", secret="s3cret-value")
        assert wrong == 401
        assert zalo_server.messages_to(user.chat_id) == []
        assert await channel.handle_webhook({}, json.dumps(update).encode(), secret="s3cret-value") == 401
        bad = await channel.handle_webhook(
            {"x-bot-api-secret-token": "s3cret-value"}, b"nonsense", secret="s3cret-value"
        )
        assert bad == 400
        wrapped = json.dumps({"ok": True, "result": update}).encode()
        assert (
            await channel.handle_webhook({"X-Bot-Api-Secret-Token": "s3cret-value"}, wrapped, secret="s3cret-value")
            == 200
        )
        answer = await zalo_server.next_message(user.chat_id)
        assert re.search(r"/dangky", answer["text"])
        update["message"]["message_id"] = "0a1b2d"  # type: ignore[index]
        bare = json.dumps(update).encode()
        assert (
            await channel.handle_webhook({"X-Bot-Api-Secret-Token": "s3cret-value"}, bare, secret="s3cret-value") == 200
        )
        await zalo_server.next_message(user.chat_id)
    finally:
        await channel.stop()  # answers are sent in the background: stop waits for them, then closes the client
    await asyncio.sleep(0)


async def test_an_idle_long_poll_is_normal(app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel) -> None:
    async with asyncio.timeout(10):
        while zalo_server.stats.poll_timeouts < 1:  # noqa: ASYNC110  (the fake server only counts 408s)
            await asyncio.sleep(0.05)
    user = zalo_server.user(display_name="Lan")
    await user.send("/huongdan")
    assert "/dangky" in (await zalo_server.next_message(user.chat_id))["text"]


async def sent_this_month(app: App) -> int:
    async with app.core.stores() as store:
        return await store.sent_in_month(channel="zalo", month="2025-01")


async def test_the_office_is_warned_before_the_monthly_quota_runs_out(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, clock: FakeClock
) -> None:
    from bot.channels import RoutingSender
    from tests.fakes.sender import FakeSender

    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))  # the admin's Telegram account exists now
    app.core.config.quotas["zalo"] = 4
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code}")
    await zalo_server.next_message(lan.chat_id)
    office = FakeSender(clock=clock.now)
    reminders = app.reminders(RoutingSender({"zalo": zalo, "telegram": office}), limits=Limits.off())
    await reminders.tick()  # the reminder: 2 of 4 sent
    await zalo_server.next_message(lan.chat_id)
    assert [d.message.step for d in office.delivered] == []
    await lan.send("2")  # "in progress": its confirmation makes 3 of 4, still under 90% (3.6)
    await zalo_server.next_message(lan.chat_id)
    await reminders.tick()
    assert office.delivered == []
    await lan.send("/toi")
    await zalo_server.next_message(lan.chat_id)  # 4 of 4, counted once Zalo's answer is read
    for _try in range(500):  # the count is written just after Zalo answered the send
        if await sent_this_month(app) >= 4:
            break
        await asyncio.sleep(0.01)
    await reminders.tick()
    await reminders.tick()
    warnings = [d.message for d in office.delivered if d.message.step.startswith("quota-")]
    assert [m.step for m in warnings] == ["quota-zalo-2025-01"]  # once, however often the planner runs
    text = (await app.core.render_reminder(warnings[0])).text
    assert text.startswith("⚠️ Zalo đã gửi 4/4 tin nhắn của tháng 2025-01.")
    assert zalo_server.stats.messages_sent == 4


async def test_webhook_mode_end_to_end(app: App, zalo_server: FakeZaloServer) -> None:
    """Zalo calls our listener with the secret; a wrong secret is refused and nothing is answered."""
    import socket

    import httpx

    from bot.channels.zalo_webhook import Webhook

    with socket.socket() as probe:  # a free port on loopback for the listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook = Webhook(f"http://127.0.0.1:{port}/zalo/hook", "s3cret-value", host="127.0.0.1", port=port)
    channel = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root)
    await channel.start(webhook=webhook)
    try:
        lan = zalo_server.user(display_name="Lan")
        await lan.send("/huongdan")  # the fake posts it to our listener, with the secret
        assert "/dangky" in (await zalo_server.next_message(lan.chat_id))["text"]
        async with httpx.AsyncClient() as client:
            refused = await client.post(
                webhook.url, json={"ok": True}, headers={"X-Bot-Api-Secret-Token": "wrong-secret"}
            )
        assert refused.status_code == 401
    finally:
        await channel.stop()


async def test_the_office_on_telegram_records_for_a_unit_and_its_zalo_official_is_told(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel, zalo_server: FakeZaloServer, zalo: ZaloChannel
) -> None:
    """An answer for a person on another channel goes out on that channel (bot.channels.connect)."""
    connect({"telegram": telegram, "zalo": zalo})
    office = server.user(ADMIN_ID, "Chánh Văn phòng")
    await office.send("/moi Bần Yên Nhân")
    code = CODE.search((await server.next_message(ADMIN_ID))["text"])
    assert code is not None
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code.group(1)}")
    await zalo_server.next_message(lan.chat_id)  # the welcome
    await office.send("/capnhat Bần Yên Nhân: đã nộp bản giấy")
    mine = (await server.next_message(ADMIN_ID))["text"]
    assert recorded(mine).startswith("Đã ghi nhận: Phường Bần Yên Nhân, Kế hoạch triển khai")
    assert "(Văn phòng ghi nhận)" in mine
    told = (await zalo_server.next_message(lan.chat_id))["text"]
    assert told.startswith("Văn phòng đã ghi nhận cho phường Bần Yên Nhân, Kế hoạch triển khai")


async def test_an_answer_for_a_channel_that_is_not_running_is_logged(
    zalo: ZaloChannel, caplog: pytest.LogCaptureFixture
) -> None:
    await zalo.deliver("any", Outcome([Reply("cho Telegram", channel="telegram", chat_id="42")]))
    assert "not sent to telegram chat 42: that channel is not running" in caplog.text


async def test_a_repeat_after_a_restart_is_still_handled_once(app: App, zalo_server: FakeZaloServer) -> None:
    """The ids seen are kept in the database for a week: a new process knows them too."""
    first_bot = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root, poll_seconds=1)
    await first_bot.start()
    stranger = zalo_server.user(display_name="Lạ")
    try:
        update = await stranger.send("xin chào")
        await zalo_server.next_message(stranger.chat_id)
    finally:
        await first_bot.stop()
    second_bot = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root, poll_seconds=1)
    await second_bot.start()
    try:
        await stranger.redeliver(update)
        await stranger.send("/toi")
        assert (await zalo_server.next_message(stranger.chat_id))["text"].startswith("Anh/chị chưa đăng ký")
        assert len(zalo_server.messages_to(stranger.chat_id)) == 2  # the repeat got no second welcome
    finally:
        await second_bot.stop()


async def test_the_ids_of_delivered_messages_are_kept_a_week(app: App, clock: FakeClock) -> None:
    async with app.sessions() as session:
        now = clock.now()
        assert await first_delivery(session, channel="zalo", message_id="a1", now=now)
        assert not await first_delivery(session, channel="zalo", message_id="a1", now=now)
        assert await first_delivery(session, channel="telegram", message_id="a1", now=now)  # per channel
        later = now + RECEIVED_KEPT + timedelta(seconds=1)
        assert await first_delivery(session, channel="zalo", message_id="b2", now=later)  # a1 expires
        assert await first_delivery(session, channel="zalo", message_id="a1", now=later)


async def test_a_superscript_or_circled_number_after_a_reminder_is_answered(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, clock: FakeClock
) -> None:
    """ "²" and "①" pass str.isdigit() but not int(): they were no answer at all (issue 13)."""
    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code}")
    await zalo_server.next_message(lan.chat_id)
    await app.reminders(zalo, limits=Limits.off()).tick()
    await zalo_server.next_message(lan.chat_id)
    for text in ("²", "①", "2²"):
        await lan.send(text)
        answer = (await zalo_server.next_message(lan.chat_id))["text"]
        assert answer, text
        assert not answer.startswith("Xin lỗi, hệ thống gặp lỗi"), (text, answer)
    await lan.send("1")  # the choices are still there
    assert recorded((await zalo_server.next_message(lan.chat_id))["text"]).startswith(
        "Đã ghi nhận: Phường Bần Yên Nhân"
    )


async def test_a_picture_by_its_address_goes_as_send_photo_after_the_words(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel
) -> None:
    user = zalo_server.user(display_name="Lan")
    await user.send("/huongdan")
    await zalo_server.next_message(user.chat_id)
    chart = "https://vanphong.example.vn/anh/abc"
    assert await zalo.deliver(user.chat_id, Outcome([Reply("Biểu đồ nộp báo cáo", photo_url=chart)])) is None
    words, picture = zalo_server.messages_to(user.chat_id)[-2:]
    assert words["text"] == "Biểu đồ nộp báo cáo"
    assert (picture["method"], picture["photo"]) == ("sendPhoto", chart)


async def test_a_spent_quota_makes_reminders_wait_and_tells_the_office_once(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, clock: FakeClock
) -> None:
    """Zalo's 429 "Quota exceeded" means the month's messages are spent: the reminder waits in the outbox
    (asked again hourly, none lost, none sent twice), the office hears once what was sent and what is left."""
    from sqlmodel import select

    from bot.channels import RoutingSender
    from storage.models import Reminder
    from tests.fakes.sender import FakeSender

    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code}")
    await zalo_server.next_message(lan.chat_id)
    zalo_server.monthly_quota = zalo_server.stats.messages_sent  # Zalo counts what it counts: the rest is refused
    office = FakeSender(clock=clock.now)
    reminders = app.reminders(RoutingSender({"zalo": zalo, "telegram": office}), limits=Limits.off())
    await reminders.tick()
    assert zalo_server.stats.quota_refused == 1
    async with app.core.stores() as store:
        (waiting,) = (await store.session.exec(select(Reminder).where(Reminder.audience == "official"))).all()
        assert waiting.status == "pending"
        assert waiting.next_attempt_at >= clock.now() + timedelta(minutes=59)
        assert await store.sent_in_month(channel="zalo", month="2025-01") == 3000  # counted as spent
    await reminders.tick()
    await reminders.tick()
    told = [d.message for d in office.delivered if d.message.step.startswith("over-")]
    assert [m.step for m in told] == ["over-zalo-2025-01"]  # once
    text = (await app.core.render_reminder(told[0])).text
    assert text.startswith("⛔ Zalo đã gửi 3000/3000 tin nhắn của tháng 2025-01; còn lại 0. 1 tin nhắn đang chờ"), text
    zalo_server.monthly_quota = None  # the quota comes back (a new month, or a plan raised)
    clock.advance(timedelta(hours=1))
    await reminders.tick()
    assert (await zalo_server.next_message(lan.chat_id))["text"].startswith("🔔 Nhắc hạn báo cáo")
    await reminders.tick()
    assert sum(1 for m in zalo_server.messages_to(lan.chat_id) if m["text"].startswith("🔔")) == 1


async def test_an_extension_is_asked_and_granted_by_number_on_zalo_alone(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel
) -> None:
    from tests.integration.test_admins import admin_code

    chanh = zalo_server.user(display_name="Chánh Văn phòng")
    await chanh.send(f"/dangky {await admin_code(app)}")
    assert "là quản trị của Văn phòng" in (await chanh.next_message())["text"]
    await chanh.send("/moi Bần Yên Nhân")
    code = code_in(Outcome([Reply((await chanh.next_message())["text"])]))
    lan = zalo_server.user(display_name="Lan")
    await lan.send(f"/dangky {code}")
    await lan.next_message()
    await app.reminders(zalo, limits=Limits.off()).tick()
    assert (await lan.next_message())["text"].startswith("🔔 Nhắc hạn báo cáo")
    await lan.send("xin lùi 3 ngày")
    asked = (await lan.next_message())["text"]
    request = (await chanh.next_message())["text"]
    assert "Trả lời 1 = " in request, request
    await chanh.send("1")  # the first choice: grant
    decided = (await chanh.next_message())["text"]
    told = (await lan.next_message())["text"]
    assert asked.startswith("Đã gửi Văn phòng đề nghị gia hạn")
    assert request.endswith("Trả lời 1 = ✅ Đồng ý, 2 = ❌ Không đồng ý")
    assert decided.startswith("Đã đồng ý: UBND phường Bần Yên Nhân được gia hạn")
    assert told.startswith("Văn phòng đã đồng ý:")
