"""Self-test of the fake Bot API's webhook (tests/fakes/telegram_webhook.py), driven by python-telegram-bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.telegram_webhook import SECRET_HEADER

TOKEN = "123:ABC"
PUBLIC = "https://bot.example.org"
SECRET = "s3cret_-token"


@dataclass
class Hook:
    """A webhook receiver on loopback: what it was sent, and the statuses it answers with (then 200)."""

    url: str = ""
    received: list[tuple[dict[str, str], Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


async def hook_server() -> tuple[web.AppRunner, Hook]:
    hook = Hook()

    async def receive(request: web.Request) -> web.Response:
        hook.received.append((dict(request.headers), await request.json()))
        hook.arrived.set()
        return web.Response(status=hook.statuses.pop(0) if hook.statuses else 200)

    app = web.Application()
    app.router.add_post("/telegram", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    return runner, hook


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(token=TOKEN) as fake:
        fake.webhook_delivery.retry_pause = 0.05
        yield fake


@pytest.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url) as client:
        yield client


@pytest.fixture
async def hooks(server: FakeTelegramServer) -> AsyncIterator[list[Hook]]:
    """Two receivers behind the proxy the test plays: PUBLIC goes to each in turn."""
    started = [await hook_server() for _ in range(2)]
    server.webhook_delivery.route(PUBLIC, *(hook.url for _runner, hook in started))
    yield [hook for _runner, hook in started]
    for runner, _hook in started:
        await runner.cleanup()


async def until(condition: Any, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110  # the fake's state, polled: no event to wait on
            await asyncio.sleep(0.02)


async def test_set_webhook_refuses_what_the_bot_api_refuses(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("http://bot.example.org/telegram")
    with pytest.raises(BadRequest, match=r"(?i)ports 80, 88, 443 or 8443"):
        await bot.set_webhook("https://bot.example.org:8444/telegram")
    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await bot.set_webhook(f"{PUBLIC}/telegram", secret_token="has space")
    assert (await bot.get_webhook_info()).url == ""


async def test_updates_are_posted_with_the_secret_and_polling_is_refused_meanwhile(
    server: FakeTelegramServer, bot: Bot, hooks: list[Hook]
) -> None:
    assert await bot.set_webhook(f"{PUBLIC}/telegram", secret_token=SECRET, allowed_updates=["message"])
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.allowed_updates) == (f"{PUBLIC}/telegram", 0, ("message",))

    sent = await server.user(111, "Lan").send("đã nộp")
    await until(lambda: hooks[0].received)
    headers, body = hooks[0].received[0]
    assert headers[SECRET_HEADER] == SECRET
    assert headers["Content-Type"] == "application/json"
    assert body["message"]["text"] == "đã nộp"
    assert body["message"]["message_id"] == sent["message_id"]
    await until(lambda: not server.pending_updates)

    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)

    await server.user(112, "Minh").send("một")
    await server.user(113, "Hà").send("hai")
    await until(lambda: len(hooks[0].received) + len(hooks[1].received) == 3)
    assert [len(hook.received) for hook in hooks] == [2, 1]  # the proxy took the two in turn


async def test_a_failed_call_is_tried_again_and_shown_by_get_webhook_info(
    server: FakeTelegramServer, bot: Bot, hooks: list[Hook]
) -> None:
    server.webhook_delivery.route(PUBLIC, hooks[0].url)
    hooks[0].statuses = [403, 500]
    await bot.set_webhook(f"{PUBLIC}/telegram", secret_token=SECRET)
    await server.user(111).send("x")
    await until(lambda: len(hooks[0].received) == 3)
    await until(lambda: not server.pending_updates)
    assert [call.status for call in server.webhook_delivery.calls] == [403, 500, 200]
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500"
    assert info.last_error_date is not None


async def test_delete_webhook_hands_what_was_not_delivered_to_get_updates(server: FakeTelegramServer, bot: Bot) -> None:
    await bot.set_webhook("https://nowhere.example.org/telegram", secret_token=SECRET)  # no route: unreachable
    await server.user(111).send("chờ")
    await until(lambda: server.webhook_delivery.calls)
    assert (await bot.get_webhook_info()).last_error_message == "Connection refused"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None
    assert update.message.text == "chờ"
