"""The database goes away during the start-up catch-up; SIGTERM comes during it (issue 13).

The real service (`nhacviec run`'s entry, tests/e2e/serve_process.py, at 08:00 on 2 January 2025
when 60 officials each have a reminder due) reaches PostgreSQL through a TCP proxy that the test
takes down the moment the fake Bot API has accepted the 20th reminder. The catch-up is a background
pass like any other: the process stays up, answers chats meanwhile, and once the database is back
sends the rest, each reminder once. A SIGTERM ends it within 5 seconds, during the fan-out or while
the database is away, and what it claimed and did not send is handed back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.app import App, serve
from bot.settings import load_settings
from scheduler.clock import FakeClock
from scheduler.dispatcher import LEASE
from storage.models import Reminder
from tests.conftest import ADMIN_ID, PG_URL, reset_postgres
from tests.e2e.conftest import TOKEN
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import FakeTelegramServer, SentRecord
from tests.helpers import OLD_XA_PHUONG
from tests.integration.test_reminders import register

SERVE = Path(__file__).with_name("serve_process.py")
OFFICIALS = 60
FAULT_AT = 20  # the server's 20th accepted reminder
OUTAGE = 20.0  # seconds without the database
STOP_WITHIN = 5.0  # seconds from SIGTERM to exit: Docker's stop waits 10 before SIGKILL


@pytest.fixture
async def database_url() -> str:
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL")
    await reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    url = make_url(database_url)
    async with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running


class Service:
    """The service as a process, its output in a file."""

    def __init__(self, process: asyncio.subprocess.Process, output: Path) -> None:
        self.process = process
        self.output = output

    @classmethod
    async def start(cls, database_url: str, server: FakeTelegramServer, clock: FakeClock, tmp_path: Path) -> Service:
        env = {
            **os.environ,
            "NHACVIEC_DATABASE_URL": database_url,
            "NHACVIEC_TELEGRAM_TOKEN": TOKEN,
            "NHACVIEC_TELEGRAM_API_URL": server.root,
            "NHACVIEC_ADMINS": str(ADMIN_ID),
        }
        output = tmp_path / "service.log"
        with output.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, str(SERVE), clock.now().isoformat(),
                env=env, cwd=tmp_path, stdout=log, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        return cls(process, output)

    @property
    def printed(self) -> str:
        return self.output.read_text(errors="replace")

    async def terminate(self) -> float:
        """SIGTERM; the seconds until the process exited."""
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), timeout=30)
        return time.monotonic() - began

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


@pytest.fixture
async def officials(app: App, server: FakeTelegramServer) -> list[int]:
    """60 officials of the 13 xã/phường of 2025: one reminder each is due at 08:00 on 2 January."""
    server.strict_chats = False  # their chats exist; nobody needs to write first
    chats = [8000 + i for i in range(OFFICIALS)]
    for i, chat in enumerate(chats):
        await register(app, chat, OLD_XA_PHUONG[i % len(OLD_XA_PHUONG)], name=f"CB {chat}")
    return chats


def reminders_received(server: FakeTelegramServer, chats: list[int]) -> Counter[int]:
    wanted = set(chats)
    return Counter(r.chat_id for r in server.sent if r.method == "sendMessage" and r.chat_id in wanted)


async def until(condition: object, timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {timeout:g} s for {what}")
        await asyncio.sleep(0.1)


def at_the_fault(server: FakeTelegramServer, chats: list[int], fault: asyncio.Event) -> None:
    """Set `fault` the moment the server has accepted the FAULT_AT-th reminder."""
    accepted = 0
    wanted = set(chats)

    def on_sent(record: SentRecord) -> None:
        nonlocal accepted
        if record.method == "sendMessage" and record.chat_id in wanted:
            accepted += 1
            if accepted == FAULT_AT:
                fault.set()

    server.on_sent = on_sent


async def rows(app: App) -> list[tuple[str, object]]:
    async with app.sessions() as session:
        return list((await session.exec(select(Reminder.status, Reminder.claimed_until))).all())


def at_start(server: FakeTelegramServer, proxy: TcpProxy, fault: asyncio.Event) -> None:
    """Cut the database as the bot sets its command menu: it has loaded the plan, the catch-up comes next."""

    def on_call(method: str, _params: object) -> None:
        if method == "setMyCommands" and not fault.is_set():
            proxy.cut()
            fault.set()

    server.on_call = on_call


@pytest.mark.parametrize("moment", ["at start", "mid fan-out"])
async def test_the_database_away_for_20_s_during_the_catch_up_loses_and_doubles_nothing(
    app: App,
    clock: FakeClock,
    server: FakeTelegramServer,
    proxy: TcpProxy,
    officials: list[int],
    tmp_path: Path,
    moment: str,
) -> None:
    fault = asyncio.Event()
    if moment == "at start":
        at_start(server, proxy, fault)
    else:
        at_the_fault(server, officials, fault)
    proxied = make_url(PG_URL or "").set(port=proxy.port).render_as_string(hide_password=False)
    service = await Service.start(proxied, server, clock, tmp_path)
    try:
        await asyncio.wait_for(fault.wait(), timeout=60)
        await proxy.down()
        went_down = time.monotonic()

        # The bot answers chats meanwhile: it cannot record, and says so.
        office = server.user(ADMIN_ID, "Văn phòng")
        await office.send("/toi")
        answer = await server.next_message(ADMIN_ID, timeout=10)
        assert "chưa ghi nhận" in answer["text"], answer["text"]

        await asyncio.sleep(OUTAGE - (time.monotonic() - went_down))
        assert service.process.returncode is None, service.printed
        await proxy.up()

        await until(lambda: len(reminders_received(server, officials)) == OFFICIALS, 60, "every official's reminder")
        assert service.process.returncode is None, service.printed
        await asyncio.sleep(1)  # anything sent twice would have come by now
        received = reminders_received(server, officials)
        assert max(received.values()) == 1, "sent twice: " + str([c for c, n in received.items() if n > 1])

        await office.send("/toi")  # and the bot records again
        assert (await server.next_message(ADMIN_ID, timeout=10))["text"].startswith("Anh/chị:")
        assert await service.terminate() < STOP_WITHIN
    finally:
        server.on_sent = server.on_call = None
        await service.kill()
    assert service.process.returncode == 0, service.printed
    assert all(status == "sent" and claimed is None for status, claimed in await rows(app))


@pytest.mark.parametrize("database", ["answers", "away"])
async def test_a_sigterm_during_the_catch_up_ends_the_process_within_5_s_and_hands_back_the_rest(
    app: App,
    clock: FakeClock,
    server: FakeTelegramServer,
    proxy: TcpProxy,
    officials: list[int],
    tmp_path: Path,
    database: str,
) -> None:
    fault = asyncio.Event()
    at_the_fault(server, officials, fault)
    proxied = make_url(PG_URL or "").set(port=proxy.port).render_as_string(hide_password=False)
    service = await Service.start(proxied, server, clock, tmp_path)
    try:
        await asyncio.wait_for(fault.wait(), timeout=60)
        if database == "away":
            await proxy.down()
            await asyncio.sleep(1)  # the dispatcher is waiting to record an outcome
        took = await service.terminate()
    finally:
        server.on_sent = None
        await service.kill()
    assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{service.printed}"
    assert service.process.returncode == 0, service.printed
    assert "stopped" in service.printed
    before = reminders_received(server, officials)
    assert FAULT_AT <= sum(before.values()) < OFFICIALS

    await proxy.up()
    states = Counter(status for status, _claimed in await rows(app))
    if database == "answers":  # what was not sent was handed back: no lease to wait for
        assert states["sent"] == sum(before.values()), states
        assert all(claimed is None for _status, claimed in await rows(app))
    else:  # the database was away: the claims run out (the process's clock ran on a few seconds from ours)
        clock.advance(LEASE + timedelta(minutes=1))

    # Started again: the rest goes out, nothing is lost, at most the one in flight comes twice.
    settings = load_settings(
        database_url=PG_URL, admins=str(ADMIN_ID), telegram_token=TOKEN, telegram_api_url=server.root
    )
    stop = asyncio.Event()
    restarted = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    try:
        await until(lambda: len(reminders_received(server, officials)) == OFFICIALS, 30, "the rest of the reminders")
    finally:
        stop.set()
        await restarted
    received = reminders_received(server, officials)
    twice = [chat for chat, count in received.items() if count > 1]
    assert len(twice) <= (0 if database == "answers" else 1), twice
