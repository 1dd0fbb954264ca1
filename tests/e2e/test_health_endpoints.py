"""`nhacviec run` serves /healthz, /readyz and /metrics beside its channels, and stops them with itself."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import serve
from bot.settings import SettingsError, load_settings
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.telegram_api import FakeTelegramServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def until_ready(url: str, timeout: float = 20) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            if (await get(url + "/readyz"))[0] == 200:
                return
        except aiohttp.ClientConnectionError:
            pass  # not listening yet: the database is migrated and the plan loaded first
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"/readyz did not answer 200 within {timeout} s: {await get(url + '/readyz')}")
        await asyncio.sleep(0.1)


async def test_the_service_is_ready_once_started_counts_what_it_handles_and_stops_listening(
    server: FakeTelegramServer, database_url: str, clock: FakeClock
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = load_settings(
        database_url=database_url,
        admins=str(ADMIN_ID),
        telegram_token=TOKEN,
        telegram_api_url=server.root,
        web_port=port,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop=stop, clock=clock))
    try:
        await until_ready(url)
        assert await get(url + "/healthz") == (200, '{"status": "alive"}')
        await server.user(ADMIN_ID, "Văn phòng").send("/toi")
        await server.next_message(ADMIN_ID, timeout=10)
        status, body = await get(url + "/metrics")
    finally:
        stop.set()
        await running
    assert status == 200
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }
    assert samples[("nhacviec_ready", ())] == 1
    assert samples[("nhacviec_update_handling_seconds_count", (("channel", "telegram"),))] == 1
    assert samples[("nhacviec_reminders_pending", (("channel", "telegram"),))] == 0
    try:
        await get(url + "/healthz")
        raise AssertionError("still listening after the service stopped")
    except aiohttp.ClientConnectionError:
        pass


async def test_a_port_taken_is_told_in_one_sentence(server: FakeTelegramServer, database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = load_settings(
            database_url=database_url, telegram_token=TOKEN, telegram_api_url=server.root, web_port=port
        )
        with pytest.raises(SettingsError) as refused:
            await serve(settings, stop=asyncio.Event())
    assert str(refused.value) == (
        f"cannot listen on 127.0.0.1:{port} for the web page, /healthz, /readyz and /metrics (address already in use); "
        "set NHACVIEC_WEB_HOST or NHACVIEC_WEB_PORT"
    )
