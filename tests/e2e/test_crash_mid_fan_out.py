"""`kill -9` in the middle of the 08:00 fan-out, then a restart: nothing lost, at most one message twice.

A real process (tests/e2e/fanout_process.py: the planner, the Dispatcher and the TelegramChannel on
a SQLite file) reminds 60 officials through the fake Bot API server, which kills it with SIGKILL the
moment it has accepted the 20th message. The service then starts again (`serve`, the entry point of
`nhacviec run`) a second later, lease or no lease: the dead process's claims are let go at once
(storage/claimer.py), so whatever it had claimed but not recorded is sent again. The Bot API has no
idempotency key: the message the server had accepted when the process died, and whose answer it
never read, is the one that may arrive twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.app import App, serve
from bot.settings import load_settings
from scheduler.clock import FakeClock
from storage.models import Reminder
from tests.conftest import ADMIN_ID, PG_URL, reset_postgres
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer, SentRecord
from tests.helpers import OLD_XA_PHUONG
from tests.integration.test_reminders import register

FAN_OUT = Path(__file__).with_name("fanout_process.py")
OFFICIALS = 60
KILL_AT = 20  # the server's 20th accepted reminder
# The 13 xã/phường of 2025, each with its officials: one reminder each is due at 08:00 on 2 January.
UNITS = OLD_XA_PHUONG


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or the PostgreSQL test database: the killed process and the restarted service share it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fanout.db'}"
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL")
    await reset_postgres(PG_URL)
    return PG_URL


async def until_caught_up(app: App, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until no reminder is left to send or in flight."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with app.sessions() as session:
            rows = (await session.exec(select(Reminder.status, Reminder.claimed_until))).all()
        if rows and all(status != "pending" and claimed is None for status, claimed in rows):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not caught up within {timeout} s: {rows}")
        await asyncio.sleep(0.05)


def reminders_received(server: FakeTelegramServer) -> Counter[int]:
    return Counter(r.chat_id for r in server.sent if r.method == "sendMessage" and r.chat_id is not None)


@pytest.mark.parametrize(
    ("moment", "pace"),
    [
        pytest.param("in flight", "off", id="in-flight-as-fast-as-the-server-answers"),
        pytest.param("in flight", "telegram", id="in-flight-at-telegram-pace"),
        pytest.param("just answered", "telegram", id="just-answered-at-telegram-pace"),
    ],
)
async def test_a_kill_9_mid_fan_out_then_a_restart_loses_none_and_doubles_at_most_one(
    app: App, clock: FakeClock, server: FakeTelegramServer, database_url: str, tmp_path: Path, moment: str, pace: str
) -> None:
    server.strict_chats = False  # the officials' chats exist; nobody needs to write first
    chats = [8000 + i for i in range(OFFICIALS)]
    for i, chat in enumerate(chats):
        await register(app, chat, UNITS[i % len(UNITS)], name=f"CB {chat}")

    output = tmp_path / "fanout.log"
    with output.open("wb") as log:
        process = subprocess.Popen(  # noqa: ASYNC220  # started, not waited for here
            [sys.executable, str(FAN_OUT), database_url, server.base_url, TOKEN, clock.now().isoformat(), pace],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    loop = asyncio.get_running_loop()
    died = asyncio.Event()
    accepted: list[int] = []

    def kill() -> None:
        os.kill(process.pid, signal.SIGKILL)
        died.set()

    def on_sent(record: SentRecord) -> None:
        if record.method != "sendMessage" or record.chat_id is None:
            return
        accepted.append(record.chat_id)
        if len(accepted) == KILL_AT:
            if moment == "in flight":
                kill()  # accepted, and the process dies before it reads the answer
            else:
                loop.call_soon(kill)  # the answer is on its way or read: the process dies a moment later

    server.on_sent = on_sent
    try:
        code = await asyncio.wait_for(asyncio.to_thread(process.wait), timeout=45)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    server.on_sent = None
    assert code == -signal.SIGKILL, f"exit {code}:\n{output.read_text()}"
    assert died.is_set()
    before_restart = reminders_received(server)
    assert KILL_AT <= sum(before_restart.values()) < OFFICIALS

    # No waiting out the lease: the dead process's claims are let go at the restart (issue 27, item 10).
    clock.advance(timedelta(seconds=1))
    settings = load_settings(
        database_url=database_url, admins=str(ADMIN_ID), telegram_token=TOKEN, telegram_api_url=server.root
    )
    stop = asyncio.Event()
    restarted = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    try:  # the service catches up at start, in the background
        await until_caught_up(app, timeout=30)
    finally:
        stop.set()
        await restarted

    received = reminders_received(server)
    assert sorted(received) == chats, "lost: " + str(sorted(set(chats) - set(received)))
    twice = sorted(chat for chat, count in received.items() if count > 1)
    assert max(received.values()) <= 2
    assert len(twice) <= 1, f"sent twice: {twice} (killed after {accepted[KILL_AT - 1]})"
    if moment == "in flight":
        assert twice == [accepted[KILL_AT - 1]]  # the one accepted as the process died: not lost, sent again
    async with app.sessions() as session:
        rows = (await session.exec(select(Reminder.status, Reminder.claimed_until))).all()
    assert len(rows) == OFFICIALS
    assert all(status == "sent" and claimed is None for status, claimed in rows)
