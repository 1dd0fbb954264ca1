"""/healthz, /readyz and /metrics.

/healthz: the process answers. /readyz: 200 only when the database answers a short query in time,
every channel whose token is set has started, and the dispatcher ended a pass (or a batch of a long
fan-out) less than `READY_WITHIN` ago, by the clock the service runs on; else 503 naming what failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web.metrics import Metrics, first_line
from scheduler.clock import Clock
from storage import health

READY_WITHIN = timedelta(minutes=2)  # the dispatcher wakes every 5 s; a pass that ends no more is stuck
DATABASE_TIMEOUT = 2.0  # seconds for `SELECT 1`: a database slower than that fails the check


@dataclass
class Readiness:
    clock: Clock
    engine: AsyncEngine
    expected: frozenset[str]  # the channels whose token is set
    started: Mapping[str, object]  # the channels started so far (the service fills it)
    last_pass: Callable[[], datetime | None]  # when the dispatcher last ended a pass or a batch
    stopping: asyncio.Event | None = None  # set once the service stops: load balancers stop sending

    async def failures(self) -> dict[str, str]:
        """Each failed check's name and what failed, in a few words; empty when ready."""
        failed: dict[str, str] = {}
        if self.stopping is not None and self.stopping.is_set():
            failed["service"] = "stopping"
        try:
            await asyncio.wait_for(health.answers(self.engine), DATABASE_TIMEOUT)
        except TimeoutError:
            failed["database"] = f"no answer within {DATABASE_TIMEOUT:g} s"
        except Exception as exc:
            failed["database"] = first_line(exc)
        missing = sorted(self.expected - set(self.started))
        if missing:
            failed["channels"] = "not started: " + ", ".join(missing)
        last = self.last_pass()
        if last is None:
            failed["dispatcher"] = "no pass has ended yet"
        elif (waited := self.clock.now() - last) >= READY_WITHIN:
            failed["dispatcher"] = f"the last pass ended {waited.total_seconds():.0f} s ago"
        return failed


def routes(readiness: Readiness, metrics: Metrics, sessions: async_sessionmaker[AsyncSession]) -> list[web.RouteDef]:
    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(_request: web.Request) -> web.Response:
        failed = await readiness.failures()
        if failed:
            return web.json_response({"status": "not ready", "failed": failed}, status=503)
        return web.json_response({"status": "ready"})

    async def scrape(_request: web.Request) -> web.Response:
        ready = not await readiness.failures()
        body = await metrics.exposition(sessions, now=readiness.clock.now(), ready=ready)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return [web.get("/healthz", healthz), web.get("/readyz", readyz), web.get("/metrics", scrape)]
