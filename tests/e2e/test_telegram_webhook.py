"""Telegram by webhook: the real channel behind the fake Bot API, which POSTs updates as Telegram does.

With a webhook the channel listens on its port (the test plays the HTTPS proxy in front of it, see
tests/fakes/telegram_webhook.py), calls setWebhook with the secret and the update types it handles,
and never polls; a call without the secret, or with another, is refused with 403 and handled not at
all. Without one it deletes a webhook left set and polls again.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_webhook import SECRET_HEADER, TelegramWebhook
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer

PUBLIC = "https://nhacviec.example.org"
SECRET = "Webhook_secret-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The database is not what this is about: SQLite only."""
    return f"sqlite:///{tmp_path / 'webhook.db'}"


@pytest.fixture
def webhook(server: FakeTelegramServer) -> TelegramWebhook:
    port = free_port()
    server.webhook_delivery.route(PUBLIC, f"http://127.0.0.1:{port}")
    return TelegramWebhook(f"{PUBLIC}/telegram/updates", SECRET, host="127.0.0.1", port=port)


@pytest.fixture
async def by_webhook(app: App, server: FakeTelegramServer, webhook: TelegramWebhook) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await channel.start(webhook=webhook)
    try:
        yield channel
    finally:
        await channel.stop()


async def test_the_webhook_is_set_with_its_secret_and_a_message_through_it_is_answered(
    by_webhook: TelegramChannel, server: FakeTelegramServer
) -> None:
    [(_, params)] = [call for call in server.calls if call[0] == "setWebhook"]
    assert params["url"] == f"{PUBLIC}/telegram/updates"
    assert params["secret_token"] == SECRET
    assert params["allowed_updates"] == ["message", "callback_query"]

    await server.user(ADMIN_ID, "Văn phòng").send("/toi")
    answer = await server.next_message(ADMIN_ID, timeout=10)
    assert answer["text"].startswith("Anh/chị: Văn phòng")
    assert [call.status for call in server.webhook_delivery.calls] == [200]
    assert not any(name == "getUpdates" for name, _ in server.calls)


@pytest.mark.parametrize("secret", [None, "", "Webhook_secret-43", SECRET + "x"])
async def test_a_call_without_the_right_secret_is_refused_with_403_and_not_handled(
    by_webhook: TelegramChannel, server: FakeTelegramServer, webhook: TelegramWebhook, secret: str | None
) -> None:
    server.strict_chats = False  # the update below is written by the test, not by a user of the fake
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1735779600,
            "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Văn phòng"},
            "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Văn phòng"},
            "text": "/toi",
        },
    }
    headers = {} if secret is None else {SECRET_HEADER: secret}
    async with httpx.AsyncClient() as client:
        refused = await client.post(f"http://127.0.0.1:{webhook.port}{webhook.path}", json=update, headers=headers)
        assert refused.status_code == 403
        answered = await client.post(
            f"http://127.0.0.1:{webhook.port}{webhook.path}", json=update, headers={SECRET_HEADER: SECRET}
        )
        assert answered.status_code == 200  # the same call with the secret is taken
    assert (await server.next_message(ADMIN_ID, timeout=10))["text"].startswith("Anh/chị:")
    assert len(server.messages_to(ADMIN_ID)) == 1  # the refused call was handled not at all


async def test_without_a_webhook_the_channel_deletes_the_one_left_set_and_polls(
    app: App, server: FakeTelegramServer
) -> None:
    server.webhook = {"url": f"{PUBLIC}/telegram/updates"}  # left by an earlier webhook deployment
    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await channel.start(poll_timeout=1)
    try:
        assert "deleteWebhook" in [name for name, _ in server.calls]
        await server.user(ADMIN_ID, "Văn phòng").send("/toi")
        assert (await server.next_message(ADMIN_ID, timeout=10))["text"].startswith("Anh/chị:")
    finally:
        await channel.stop()
    assert server.webhook["url"] == ""
