"""The real python-telegram-bot Application, polling our fake Bot API server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123456:SECRET-token-value"


@pytest.fixture(autouse=True)
def _durations_as_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """As `nhacviec` does at start: python-telegram-bot 22 warns on RetryAfter otherwise."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(token=TOKEN, bot_username="nhacviec_test_bot") as fake:
        yield fake


@pytest.fixture
async def telegram(app: App, server: FakeTelegramServer) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await channel.start(poll_timeout=1)
    try:
        yield channel
    finally:
        await channel.stop()
