"""Updates the bot cannot read, with the right secret (issue 27): each is logged once and answered 400
(never 500, which a platform sends again), and the next real message is answered as ever."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_webhook import Webhook
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.zalo_api import FakeZaloServer

TOKEN = "zalo-token-123"
SECRET = "s3cret-value"
GOOD = {"from": {"id": "u1", "display_name": "Lan"}, "chat": {"id": "c1", "chat_type": "PRIVATE"}}
MALFORMED: list[Any] = [
    {"message": "x"},
    {"message": {**GOOD, "chat": ["c1"]}},
    {"message": {**GOOD, "from": "u1"}},
    {"message": {**GOOD, "from": {"id": {"x": 1}}}},
    {"message": {**GOOD, "chat": {"id": None}}},
    {"message": {**GOOD, "chat": {"id": "c" * 65}}},
    {"message": {**GOOD, "text": 5}},
    {"message": {**GOOD, "text": "hi", "message_id": ["a"]}},
    {"message": {**GOOD, "text": "hi", "from": {"id": "u1", "display_name": ["Lan"]}}},
    {"event_name": 7, "message": {**GOOD, "text": "hi"}},
    {"ok": True, "result": {"message": {**GOOD, "chat": "c1"}}},
    [1, 2],
    "text",
    None,
    7,
]


def bot_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("bot.") and r.levelno >= logging.WARNING]


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=TOKEN) as server:
        yield server


async def test_zalo_webhook_bodies_it_cannot_read_are_400_and_logged_once(
    app: App, zalo_server: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook = Webhook(f"http://127.0.0.1:{port}/zalo/hook", SECRET, host="127.0.0.1", port=port)
    channel = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root)
    await channel.start(webhook=webhook)
    try:
        async with httpx.AsyncClient() as client:
            for body in [*MALFORMED, b"nonsense", b"\xff\xfe"]:
                caplog.clear()
                content = body if isinstance(body, bytes) else json.dumps(body).encode()
                answer = await client.post(webhook.url, content=content, headers={"X-Bot-Api-Secret-Token": SECRET})
                assert answer.status_code == 400, body
                assert len(bot_warnings(caplog)) == 1, (body, bot_warnings(caplog))
        lan = zalo_server.user(display_name="Lan")
        await lan.send("/huongdan")
        assert "/dangky" in (await zalo_server.next_message(lan.chat_id))["text"]
    finally:
        await channel.stop()


async def test_zalo_get_updates_results_it_cannot_read_are_dropped(
    app: App, zalo_server: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    channel = ZaloChannel(app.core, token=TOKEN, api_url=zalo_server.root, poll_seconds=1)
    for update in MALFORMED:
        zalo_server.queue_raw(update)
    await channel.start()
    try:
        lan = zalo_server.user(display_name="Lan")
        await lan.send("/huongdan")  # after every malformed one: the poll went on
        assert "/dangky" in (await zalo_server.next_message(lan.chat_id))["text"]
    finally:
        await channel.stop()
    dropped = [line for line in bot_warnings(caplog) if "cannot be read" in line]
    assert len(dropped) == len(MALFORMED) - 1  # None is an idle poll's answer
    assert not any("Traceback" in (r.exc_text or "") for r in caplog.records)


async def test_a_telegram_text_that_is_no_string_is_dropped_not_an_internal_error(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    lan = server.user(2002, "Lan")
    chat = server.world.private_chat(lan)
    for text in (5, ["hi"], {"a": 1}):
        message = server.world.new_message(chat, lan.obj, text=text)
        server.world.enqueue("message", message)
    await lan.send("/huongdan")
    answer = await server.next_message(2002)
    assert "/dangky" in answer["text"]
    assert [m["text"] for m in server.messages_to(2002)] == [answer["text"]]  # no internal error
    assert len([line for line in bot_warnings(caplog) if "cannot be read" in line]) == 3


async def test_a_telegram_update_python_telegram_bot_cannot_build_does_not_stop_polling(
    app: App, server: FakeTelegramServer, telegram: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    lan = server.user(2002, "Lan")
    chat = server.world.private_chat(lan)
    message = server.world.new_message(chat, lan.obj, text="hi")
    server.world.enqueue("message", {**message, "from": "Lan", "chat": [1]})
    await lan.send("/huongdan")
    assert "/dangky" in (await server.next_message(2002, timeout=10))["text"]
    assert len([line for line in bot_warnings(caplog) if "cannot be read" in line]) == 1
