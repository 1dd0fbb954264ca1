"""The web server `nhacviec run` keeps beside its channels: the office's page, health and metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import Core
from bot.settings import Settings
from bot.web.health import Readiness, routes
from bot.web.metrics import Metrics
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.ratelimit import RateLimiter


class Running(Protocol):
    """What the web server needs of the running service (`bot.app.App`)."""

    core: Core
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@dataclass
class ServiceWeb:
    server: WebServer
    metrics: Metrics  # the scheduler's observer, and the counter of sends (`Metrics.observed`)
    core: Core | None = None

    async def stop(self) -> None:
        await self.server.stop()
        if self.core is not None:  # no more links to a page that is gone: a file answer says so instead
            self.core.config.web_url = None


async def start(
    settings: Settings,
    application: Running,
    *,
    channels: Mapping[str, object],
    limiters: Mapping[str, RateLimiter],
    stop: asyncio.Event,
) -> ServiceWeb:
    """Listen on NHACVIEC_WEB_HOST:NHACVIEC_WEB_PORT; `channels` is filled as each one starts."""
    expected = frozenset(
        name for name, token in (("telegram", settings.telegram_token), ("zalo", settings.zalo_token)) if token
    )
    metrics = Metrics(limiters={name: limiters[name] for name in expected}, channels=sorted(expected))
    application.core.on_handled = metrics.handled
    clock, engine = application.core.clock, application.engine
    readiness = Readiness(clock, engine, expected, channels, lambda: metrics.last_pass, stopping=stop)
    server = await start_page(settings, application.core, also=routes(readiness, metrics, application.sessions))
    return ServiceWeb(server, metrics, application.core)
