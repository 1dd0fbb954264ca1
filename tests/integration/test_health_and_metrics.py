"""/healthz, /readyz and /metrics over HTTP, on the fake clock (issue 17).

The web server runs as `nhacviec run` builds it (bot/web), on a port the system chooses; the
service around it is played by the planner and dispatcher with a FakeSender, so every number the
scrape shows is one the test caused.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App
from bot.web.health import Readiness, routes
from bot.web.metrics import Metrics
from bot.web.server import WebServer
from scheduler.clock import FakeClock
from scheduler.ratelimit import RateLimiter
from scheduler.sending import RetryLater, Transient, Unreachable
from storage import db
from tests.fakes.sender import FakeSender
from tests.integration.test_reminders import fake_time_limiter, register

OFFICIALS = {2002: "Bần Yên Nhân", 2003: "Dị Sử", 2004: "Nhân Hòa"}


class Web:
    """The web server on a free port, with the pieces a test moves."""

    def __init__(self, app: App, clock: FakeClock, limiter: RateLimiter, engine: Any = None) -> None:
        self.limiter = limiter
        self.metrics = Metrics(limiters={"telegram": limiter}, channels=["telegram", "zalo"])
        self.started: dict[str, object] = {}
        self.stop = asyncio.Event()
        self.readiness = Readiness(
            clock, engine or app.engine, frozenset({"telegram"}), self.started, self.last_pass, self.stop
        )
        self.server = WebServer("127.0.0.1", 0, routes(self.readiness, self.metrics, app.sessions))

    def last_pass(self) -> datetime | None:
        return self.metrics.last_pass

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as client, client.get(self.server.url + path) as response:
            return response.status, await response.text()

    async def samples(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        status, body = await self.get("/metrics")
        assert status == 200
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body)
            for sample in family.samples
        }


@pytest.fixture
async def web(app: App, clock: FakeClock) -> AsyncIterator[Web]:
    served = Web(app, clock, fake_time_limiter(clock))
    await served.server.start()
    try:
        yield served
    finally:
        await served.server.stop()


def one(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


async def test_readyz_names_what_fails_and_answers_200_once_all_holds(web: Web, clock: FakeClock) -> None:
    assert await web.get("/healthz") == (200, '{"status": "alive"}')
    status, body = await web.get("/readyz")
    assert status == 503
    assert '"channels": "not started: telegram"' in body
    assert '"dispatcher": "no pass has ended yet"' in body
    assert "database" not in body

    web.started["telegram"] = object()
    web.metrics.dispatched(clock.now())
    assert await web.get("/readyz") == (200, '{"status": "ready"}')

    clock.advance(timedelta(minutes=1, seconds=59))
    assert (await web.get("/readyz"))[0] == 200
    clock.advance(timedelta(seconds=1))  # two minutes since the dispatcher's last pass: stuck
    assert await web.get("/readyz") == (
        503,
        '{"status": "not ready", "failed": {"dispatcher": "the last pass ended 120 s ago"}}',
    )
    web.metrics.dispatched(clock.now())
    assert (await web.get("/readyz"))[0] == 200

    web.stop.set()  # stopping: a load balancer sends no more
    assert await web.get("/readyz") == (503, '{"status": "not ready", "failed": {"service": "stopping"}}')


async def test_readyz_fails_when_the_database_does_not_answer(app: App, clock: FakeClock) -> None:
    async with db.engine_for("postgresql://nobody@127.0.0.1:1/none") as nowhere:
        served = Web(app, clock, fake_time_limiter(clock), engine=nowhere)
        served.started["telegram"] = object()
        served.metrics.dispatched(clock.now())
        await served.server.start()
        try:
            status, body = await served.get("/readyz")
            samples = await served.samples()
        finally:
            await served.server.stop()
    assert status == 503
    assert '"database": "cannot reach the database at 127.0.0.1:1: connection refused' in body
    assert one(samples, "nhacviec_ready") == 0


async def test_metrics_count_sends_by_channel_and_reason_and_read_the_outbox(
    app: App, clock: FakeClock, web: Web
) -> None:
    app.core.on_handled = web.metrics.handled
    for user, unit in OFFICIALS.items():
        await register(app, user, unit)  # two messages each: the office's /moi and the official's /dangky
    sender = FakeSender(clock=clock.now)
    sender.failures["2002"] = [Unreachable("Forbidden: bot was blocked by the user", code="blocked")]
    sender.failures["2003"] = [RetryLater(5)]
    service = app.reminders(web.metrics.observed(sender), limiter=web.limiter, observer=web.metrics)
    await service.tick()  # 08:00: each official's first reminder is due

    samples = await web.samples()
    assert one(samples, "nhacviec_reminders_planned_total") == 3
    assert one(samples, "nhacviec_reminders_sent_total", channel="telegram") == 1
    assert one(samples, "nhacviec_reminders_failed_total", channel="telegram", reason="unreachable") == 1
    assert one(samples, "nhacviec_reminders_failed_total", channel="telegram", reason="rate_limited") == 1
    assert one(samples, "nhacviec_rate_limited_total", channel="telegram") == 1
    assert one(samples, "nhacviec_rate_limited_seconds_total", channel="telegram") == 5
    assert one(samples, "nhacviec_update_handling_seconds_count", channel="telegram") == 6
    assert one(samples, "nhacviec_unreachable_accounts", channel="telegram") == 1
    assert one(samples, "nhacviec_unreachable_accounts", channel="zalo") == 0
    # Dị Sử's reminder waits out the 429 (5 s): pending, not yet due again.
    assert one(samples, "nhacviec_reminders_pending", channel="telegram") == 1
    assert one(samples, "nhacviec_reminders_oldest_due_age_seconds", channel="telegram") == 0
    assert one(samples, "nhacviec_reminders_pending", channel="zalo") == 0
    assert one(samples, "nhacviec_dispatcher_last_pass_timestamp_seconds") == clock.now().timestamp()

    clock.advance(timedelta(minutes=11))  # and no dispatcher comes: the alert's 10 minutes are passed
    samples = await web.samples()
    assert one(samples, "nhacviec_reminders_oldest_due_age_seconds", channel="telegram") == 11 * 60 - 5

    sender.failures["2003"] = [Transient("Bad Gateway")]
    await service.tick()
    samples = await web.samples()
    assert one(samples, "nhacviec_reminders_failed_total", channel="telegram", reason="network_or_server") == 1
    assert one(samples, "nhacviec_reminders_oldest_due_age_seconds", channel="telegram") == 0  # retried later


def test_each_service_counts_in_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.planned(3)
    assert first.registry.get_sample_value("nhacviec_reminders_planned_total") == 3
    assert second.registry.get_sample_value("nhacviec_reminders_planned_total") == 0
