"""Answers under a misbehaving Bot API, played as a person: retried like reminders, and honest when lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.app import App
from bot.channels.answers import Retries
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from scheduler.ratelimit import Limits
from storage.models import StatusUpdate
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.e2e.test_telegram_reminders import register
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import FakeZaloServer, FakeZaloUser
from tests.helpers import code_in, recorded, say

LAN = 2002
NOT_RECORDED = ("chưa ghi nhận", "not recorded")
ZALO_TOKEN = "zalo-token-123"
TRIES = len(Retries().pauses) + 1  # an answer's first try and every retry after a 5xx


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
async def telegram(app: App, server: FakeTelegramServer, waits: list[float]) -> AsyncIterator[TelegramChannel]:
    """The bot, its pauses between tries recorded rather than waited."""

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url, sleep=no_wait)
    await channel.start(poll_timeout=1)
    try:
        yield channel
    finally:
        await channel.stop()


def sends_to(server: FakeTelegramServer, chat: int) -> int:
    return sum(1 for method, params in server.calls if method == "sendMessage" and params.get("chat_id") == chat)


async def handled(server: FakeTelegramServer, chat: int, calls: int) -> None:
    """Wait until the bot has tried `calls` sendMessage to the chat, and a moment for a stray one."""
    for _ in range(500):
        if sends_to(server, chat) >= calls:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)


async def stored(app: App) -> list[str]:
    async with app.sessions() as session:
        return [row.status for row in (await session.exec(select(StatusUpdate))).all()]


def nothing_says_not_recorded(server: FakeTelegramServer, chat: int) -> None:
    for message in server.messages_to(chat):
        assert not any(words in message["text"] for words in NOT_RECORDED), message["text"]


async def test_a_hundred_toi_with_30_percent_faults_are_all_answered(
    server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    users = [LAN, 2003, 2004, 2005]
    for user in users:
        await register(server, user, "Bần Yên Nhân", f"Cán bộ {user}")
    server.fail_ratio, server.fail_statuses = 0.3, (500, 502, 429)
    for _ in range(25):
        await asyncio.gather(*(server.user(user).send("/toi") for user in users))
    for user in users:
        answers = [await server.next_message(user, timeout=20) for _ in range(25)]
        assert all(answer["text"].startswith("Anh/chị:") for answer in answers), answers
        nothing_says_not_recorded(server, user)
    assert server.stats.server_errors > 10
    assert server.stats.rate_limited > 5
    assert waits.count(1.0) == server.stats.rate_limited  # each 429 waited its retry_after


async def test_a_confirmation_lost_once_is_sent_again(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    server.fail_next(1, status=500, method="sendMessage")
    await server.user(LAN).send("đã nộp rồi ạ")
    confirmation = await server.next_message(LAN)
    assert recorded(confirmation["text"]).startswith("Đã ghi nhận: Phường Bần Yên Nhân")
    assert await stored(app) == ["done"]
    nothing_says_not_recorded(server, LAN)


async def test_a_confirmation_that_cannot_be_sent_ends_in_an_honest_apology(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    server.fail_next(TRIES, status=500, method="sendMessage")
    await server.user(LAN).send("đã nộp rồi ạ")
    apology = await server.next_message(LAN, timeout=20)
    assert apology["text"] == (
        "Cập nhật của anh/chị đã được ghi nhận, nhưng tin xác nhận chưa gửi được do lỗi đường truyền. "
        "Anh/chị không cần gửi lại."
    )
    assert await stored(app) == ["done"]
    nothing_says_not_recorded(server, LAN)
    assert waits == list(Retries().pauses)
    assert sum(waits) <= Retries().budget


async def test_a_confirmation_that_never_goes_out_leaves_the_update_stored(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    before = sends_to(server, LAN)
    server.fail_ratio, server.fail_statuses = 1.0, (500, 502)
    await server.user(LAN).send("đã nộp rồi ạ")
    await handled(server, LAN, before + TRIES + 1)
    assert sends_to(server, LAN) == before + TRIES + 1  # the confirmation's tries, one for the apology
    assert await stored(app) == ["done"]
    assert len(server.messages_to(LAN)) == 1  # the welcome only: nothing false went out, nor anything
    assert sum(waits) <= Retries().budget
    server.fail_ratio = 0.0
    await server.user(LAN).send("/toi")  # the bot is still answering
    assert (await server.next_message(LAN, timeout=20))["text"].startswith("Anh/chị:")


async def test_a_tap_whose_acknowledgement_fails_is_still_recorded(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    await app.reminders(telegram, limits=Limits.off()).tick()
    reminder = await server.next_message(LAN)
    done = next(b["callback_data"] for row in reminder["reply_markup"]["inline_keyboard"] for b in row)
    server.fail_next(1, status=502, method="answerCallbackQuery")
    await server.user(LAN).tap(reminder, done)
    assert recorded((await server.next_message(LAN))["text"]).startswith("Đã ghi nhận: Phường Bần Yên Nhân")
    assert await stored(app) == ["done"]
    nothing_says_not_recorded(server, LAN)


async def test_an_answer_waits_what_a_429_asks(
    server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    server.fail_next(2, status=429, method="sendMessage", retry_after=3)
    await server.user(LAN).send("/toi")
    assert (await server.next_message(LAN))["text"].startswith("Anh/chị:")
    assert waits == [3.0, 3.0]
    assert server.stats.rate_limited == 2


async def test_a_429_longer_than_the_budget_is_not_waited(
    server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    server.fail_next(1, status=429, method="sendMessage", retry_after=45)
    await server.user(LAN).send("/toi")
    lost = await server.next_message(LAN)
    assert lost["text"] == (
        "Hệ thống đã nhận được tin nhắn của anh/chị nhưng chưa gửi được câu trả lời do lỗi đường truyền. "
        "Đề nghị anh/chị gửi lại sau ít phút."
    )
    assert waits == []


async def test_a_blocked_bot_or_a_bad_request_is_not_tried_again(
    server: FakeTelegramServer, telegram: TelegramChannel, waits: list[float]
) -> None:
    await register(server, LAN, "Bần Yên Nhân", "Lan")
    before = sends_to(server, LAN)
    server.fail_next(1, status=400, method="sendMessage")
    await server.user(LAN).send("/toi")
    lost = await server.next_message(LAN)  # the answer once, then what became of the message
    assert lost["text"].startswith("Hệ thống đã nhận được tin nhắn của anh/chị nhưng chưa gửi được câu trả lời")
    assert sends_to(server, LAN) == before + 2
    lan = server.user(LAN)
    await lan.send("/toi")
    lan.block()  # before the answer goes out: 403, and nothing more is tried
    await handled(server, LAN, before + 3)
    assert sends_to(server, LAN) == before + 3
    assert waits == []


# -- Zalo: the same answers through its Bot API ------------------------------------------------------------


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=ZALO_TOKEN) as server:
        yield server


@pytest.fixture
async def zalo(app: App, zalo_server: FakeZaloServer, waits: list[float]) -> AsyncIterator[ZaloChannel]:
    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    channel = ZaloChannel(app.core, token=ZALO_TOKEN, api_url=zalo_server.root, poll_seconds=1, sleep=no_wait)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


async def zalo_official(app: App, server: FakeZaloServer, name: str) -> FakeZaloUser:
    code = code_in(await say(app, ADMIN_ID, "/moi Bần Yên Nhân"))
    user = server.user(display_name=name)
    await user.send(f"/dangky {code}")
    assert (await user.next_message())["text"].startswith("Đăng ký thành công")
    return user


async def test_on_zalo_a_hundred_toi_with_30_percent_faults_are_all_answered(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, waits: list[float]
) -> None:
    users = [await zalo_official(app, zalo_server, f"Cán bộ {n}") for n in range(4)]
    # Zalo's 429 is "Quota exceeded": the month's messages spent, not a fault to retry (test_zalo.py)
    zalo_server.fail_ratio, zalo_server.fail_statuses = 0.3, (500, 502)
    for _ in range(25):
        await asyncio.gather(*(user.send("/toi") for user in users))
    for user in users:
        answers = [await user.next_message(timeout=20) for _ in range(25)]
        assert all(answer["text"].startswith("Anh/chị:") for answer in answers), answers
    assert zalo_server.stats.server_errors > 10


async def test_on_zalo_a_lost_confirmation_ends_in_an_honest_apology(
    app: App, zalo_server: FakeZaloServer, zalo: ZaloChannel, waits: list[float]
) -> None:
    lan = await zalo_official(app, zalo_server, "Lan")
    zalo_server.fail_next(TRIES, status=500, method="sendMessage")
    await lan.send("đã nộp rồi ạ")
    apology = await lan.next_message(timeout=20)
    assert apology["text"] == (
        "Cập nhật của anh/chị đã được ghi nhận, nhưng tin xác nhận chưa gửi được do lỗi đường truyền. "
        "Anh/chị không cần gửi lại."
    )
    assert await stored(app) == ["done"]
    assert waits == list(Retries().pauses)
