"""Two real `nhacviec run` processes on one PostgreSQL database with a Zalo token (issue 23): exactly
one polls Zalo (two long polls of one bot would split its updates), and a kill -9 of that one is taken
over by the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scheduler.clock import FakeClock
from tests.conftest import PG_URL, reset_postgres
from tests.e2e.instances import HOSTS, Instance
from tests.e2e.test_two_instances import TAKE_OVER_WITHIN, until
from tests.fakes.zalo_api import FakeZaloServer, FakeZaloUser

TOKEN = "zalo-token-123"
POLLS = "this instance polls zalo now"
WAITS = "another instance polls zalo"


@pytest.fixture
async def database_url() -> str:
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL (scripts/test.sh does when one answers)")
    await reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(token=TOKEN) as server:
        yield server


def environment(server: FakeZaloServer, host: str, database_url: str) -> dict[str, str]:
    return {
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_ZALO_TOKEN": TOKEN,
        "NHACVIEC_ZALO_API_URL": server.root.replace("127.0.0.1", host),
        "NHACVIEC_POLLER_CHECK_SECONDS": "1",
        "NHACVIEC_WEB_PORT": "0",
    }


async def answered_once(server: FakeZaloServer, user: FakeZaloUser, text: str = "/huongdan") -> None:
    before = len(server.messages_to(user.chat_id))
    await user.send(text)
    await user.next_message(timeout=15)
    await asyncio.sleep(1)  # a second answer (two pollers) would have come by now
    assert len(server.messages_to(user.chat_id)) == before + 1


@pytest.mark.timeout(120)
async def test_exactly_one_instance_polls_zalo_and_a_kill_9_is_taken_over(
    zalo_server: FakeZaloServer, clock: FakeClock, tmp_path: Path, database_url: str
) -> None:
    instances = [
        await Instance.start(name, host, environment(zalo_server, host, database_url), clock.now(), tmp_path)
        for name, host in zip("ab", HOSTS, strict=True)
    ]
    try:
        for instance in instances:
            await instance.until_printed("Zalo bot is running", timeout=60)
        await until(lambda: sum(POLLS in i.printed for i in instances) == 1, 30, "one poller")
        poller = next(i for i in instances if POLLS in i.printed)
        other = next(i for i in instances if i is not poller)
        await until(lambda: WAITS in other.printed, 30, "the other to wait")
        lan = zalo_server.user(display_name="Lan")
        for _ in range(3):
            await answered_once(zalo_server, lan)  # each message answered once: one poller
        assert POLLS not in other.printed

        await poller.kill()  # kill -9: its session ends, and with it the poller lock
        await until(lambda: POLLS in other.printed, TAKE_OVER_WITHIN, "the other instance to take over")
        # The dead instance's last long poll may still be open on the server, and take the next update
        # with it (its connection is gone): the person writes again, as they would; then all is answered.
        await lan.send("/toi")
        try:
            await lan.next_message(timeout=15)
        except AssertionError:
            await answered_once(zalo_server, lan, "/toi")
        await answered_once(zalo_server, lan)
    finally:
        for instance in instances:
            await instance.kill()
