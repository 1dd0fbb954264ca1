"""A SIGTERM ends `nhacviec run` within 5 s even while an answer waits out a 429 (issue 17), and in
every state of the fan-out: idle, sending, the API hanging, the database refusing or silent (issue 27).

An answer is retried within its own 30 s budget (bot/channels/answers.py); at a stop it gets 2 s,
beside the reminders' stop, then is given up: the message it answers was recorded before.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app import App, serve
from bot.settings import load_settings
from scheduler.clock import FakeClock
from scheduler.dispatcher import LEASE
from tests.conftest import ADMIN_ID, PG_URL, reset_postgres
from tests.e2e import test_database_outage as outage
from tests.e2e.conftest import TOKEN
from tests.e2e.instances import HOSTS, Instance
from tests.e2e.test_database_outage import Service, at_the_fault, reminders_received, until
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import FakeTelegramServer

STOP_WITHIN = 5.0


async def test_a_sigterm_while_an_answer_waits_out_a_429_ends_the_process_within_5_s(
    clock: FakeClock, server: FakeTelegramServer, tmp_path: Path
) -> None:
    env = {
        "NHACVIEC_DATABASE_URL": f"sqlite:///{tmp_path / 'stop.db'}",
        "NHACVIEC_TELEGRAM_TOKEN": TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": server.root,
        "NHACVIEC_ADMINS": str(ADMIN_ID),
    }
    instance = await Instance.start("bot", HOSTS[0], env, clock.now(), tmp_path)
    try:
        await instance.until_printed("this instance polls telegram now", 30)
        server.fail_next(1, 429, method="sendMessage", retry_after=20)  # the answer waits 20 s, within its budget
        await server.user(ADMIN_ID, "Văn phòng").send("/toi")
        await instance.until_printed("trying again in 20s", 15)
        took = await instance.terminate()
    finally:
        await instance.kill()
    assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{instance.printed}"
    assert instance.process.returncode == 0, instance.printed
    assert "answers still being sent were given up" in instance.printed


# --------------------------------------------------------------------------------------------------------------
# Every state, on PostgreSQL through a proxy that can refuse or drop the database's traffic (issue 27, item 1)

STATES = ("idle", "fan-out", "API hanging", "database refusing", "database silent")
officials = outage.officials  # 60 officials, one reminder each due at the start


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


async def into(state: str, server: FakeTelegramServer, proxy: TcpProxy, officials: list[int]) -> None:
    """Bring the running service into `state`: mid fan-out unless idle, then the fault, a second to take hold."""
    if state == "idle":
        await until(lambda: len(reminders_received(server, officials)) == len(officials), 60, "the fan-out's end")
        await asyncio.sleep(1)
        return
    fault = asyncio.Event()
    at_the_fault(server, officials, fault)
    await asyncio.wait_for(fault.wait(), timeout=60)
    if state == "API hanging":
        server.hang_ratio = 1.0  # every sendMessage from now on is never answered
    elif state == "database refusing":
        await proxy.down()
    elif state == "database silent":
        proxy.silence()
    if state != "fan-out":
        await asyncio.sleep(1)  # the dispatcher meets the fault: a send or a write waits


@pytest.mark.parametrize("state", STATES)
async def test_a_sigterm_ends_the_process_within_5_s_in_every_state_and_what_it_could_not_write_goes_out_later(
    app: App,
    clock: FakeClock,
    server: FakeTelegramServer,
    proxy: TcpProxy,
    officials: list[int],
    tmp_path: Path,
    state: str,
) -> None:
    proxied = make_url(PG_URL or "").set(port=proxy.port).render_as_string(hide_password=False)
    service = await Service.start(proxied, server, clock, tmp_path)
    try:
        await into(state, server, proxy, officials)
        took = await service.terminate()
    finally:
        server.on_sent = None
        await service.kill()
    assert took < STOP_WITHIN, f"{state}: {took:.1f} s to stop:\n{service.printed}"
    assert service.process.returncode == 0, service.printed
    assert "stopped" in service.printed

    # Started again once the faults are gone and any claim left has run out: nothing is lost.
    server.hang_ratio = 0.0
    await proxy.up()
    clock.advance(LEASE + timedelta(minutes=1))
    settings = load_settings(
        database_url=PG_URL, admins=str(ADMIN_ID), telegram_token=TOKEN, telegram_api_url=server.root
    )
    stop = asyncio.Event()
    restarted = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    try:
        await until(lambda: len(reminders_received(server, officials)) == len(officials), 30, "the rest")
    finally:
        stop.set()
        await restarted
    twice = [chat for chat, count in reminders_received(server, officials).items() if count > 1]
    # Sent but not recorded before the database went: the sends then in flight, no more.
    assert len(twice) <= (2 if state.startswith("database") else 0), twice
