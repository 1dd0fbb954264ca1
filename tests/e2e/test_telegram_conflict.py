"""Two instances polling one Telegram bot: one warning line each, no traceback, and the bot answers on.

Telegram answers a getUpdates that another poller's request ended with 409 "Conflict: terminated by other
getUpdates request". It had printed 18-28 tracebacks per instance (issue 13). Instances on one database
now take turns (the poller lock, tests/e2e/test_two_instances.py); a poller they cannot know of (one on
another database, a copy on a laptop) still makes each say so once, not once a poll.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.logs import configure_logging
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The database is not what this is about: SQLite only."""
    return f"sqlite:///{tmp_path / 'conflict.db'}"


async def polled(server: FakeTelegramServer, times: int) -> None:
    """Until the bots have called getUpdates this many times in all (10 s at most)."""
    for _ in range(200):
        if sum(1 for name, _ in server.calls if name == "getUpdates") >= times:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"getUpdates called fewer than {times} times in 10 s")


@pytest.fixture
def printed() -> Iterator[io.StringIO]:
    """What `nhacviec run` would print: its logging, as configured at start."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    buffer = io.StringIO()
    configure_logging(secrets=[TOKEN], stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:], root.level = handlers, level


def conflict_lines(printed: io.StringIO) -> list[str]:
    return [line for line in printed.getvalue().splitlines() if "Conflict" in line]


async def answers_toi(server: FakeTelegramServer) -> None:
    await server.user(ADMIN_ID, "Văn phòng").send("/toi")
    assert (await server.next_message(ADMIN_ID, timeout=15))["text"].startswith("Anh/chị: Văn phòng")


async def test_a_conflict_is_one_warning_and_the_bot_answers_once_it_stops(
    app: App, server: FakeTelegramServer, printed: io.StringIO
) -> None:
    server.other_poller = True
    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await channel.start(poll_timeout=1)
    try:
        await polled(server, 3)  # three polls refused (python-telegram-bot waits 1, then 1.5 s between)
        server.other_poller = False
        await answers_toi(server)
    finally:
        await channel.stop()
    assert "Traceback" not in printed.getvalue()
    [line] = conflict_lines(printed)
    assert line.split(" ", 2)[2] == (
        "WARNING bot.channels.telegram: another instance polls this Telegram bot, or a webhook is set (Conflict: "
        "terminated by other getUpdates request; make sure that only one bot instance is running): each update "
        "reaches one of them only; this instance keeps polling"
    )


async def test_two_instances_polling_one_bot_each_warn_once(
    app: App, server: FakeTelegramServer, printed: io.StringIO
) -> None:
    first = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    second = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await first.start(poll_timeout=1)
    try:
        await second.start(poll_timeout=1)
        try:
            await polled(server, 8)  # each poll ends the other's
        finally:
            await second.stop()
        await answers_toi(server)
    finally:
        await first.stop()
    assert "Traceback" not in printed.getvalue()
    lines = conflict_lines(printed)
    assert 1 <= len(lines) <= 2, lines  # one an instance at most
    assert all(" WARNING bot.channels.telegram: " in line for line in lines), lines


async def test_polling_stopped_and_started_again_answers_every_message_once(
    app: App, server: FakeTelegramServer
) -> None:
    """As when an instance loses the poller lock and takes it back (bot/instances.py)."""
    channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
    await channel.start(poll_timeout=1, polling=False)
    try:
        await channel.start_polling()
        await answers_toi(server)
        await channel.stop_polling()
        office = server.user(ADMIN_ID, "Văn phòng")
        await office.send("/toi")  # while nobody polls: it waits at Telegram
        await asyncio.sleep(0.5)
        assert not server.messages_to(ADMIN_ID)[1:]
        await channel.start_polling()
        assert (await server.next_message(ADMIN_ID, timeout=15))["text"].startswith("Anh/chị: Văn phòng")
        await asyncio.sleep(1)
        assert len(server.messages_to(ADMIN_ID)) == 2  # the first message was not handled again
    finally:
        await channel.stop()
