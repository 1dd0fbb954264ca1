"""The service's web server: one aiohttp application on NHACVIEC_WEB_HOST:NHACVIEC_WEB_PORT.

The office's page (bot/web/site.py), health and metrics (bot/web/health.py). Started and stopped with
the service by `nhacviec run`; the terminal demo serves the page alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from aiohttp import web

from bot.settings import SettingsError
from bot.web.hardening import harden

log = logging.getLogger(__name__)
SHUTDOWN_WAIT = 1.0  # seconds a request in flight has at stop: the whole service ends within 5 s of SIGTERM


class WebServer:
    def __init__(self, host: str, port: int, routes: Iterable[web.AbstractRouteDef]) -> None:
        self.host = host
        self.port = port
        self.application = web.Application()
        self.application.add_routes(list(routes))
        self.application.on_response_prepare.append(harden)  # every route's responses, errors too
        # No access log: probes every few seconds would bury the service's own lines.
        self._runner = web.AppRunner(self.application, access_log=None, shutdown_timeout=SHUTDOWN_WAIT)

    async def start(self) -> None:
        """Listen; a port taken or a host not ours is told in one sentence (`SettingsError`)."""
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except OSError as exc:
            await self._runner.cleanup()
            reason = os.strerror(exc.errno) if exc.errno else str(exc)  # asyncio's message repeats the address
            raise SettingsError(
                f"cannot listen on {self.host}:{self.port} for the web page, /healthz, /readyz and /metrics "
                f"({reason[:1].lower() + reason[1:]}); set NHACVIEC_WEB_HOST or NHACVIEC_WEB_PORT"
            ) from exc
        log.info("the web page, health and metrics on %s (/, /healthz, /readyz, /metrics)", self.url)

    @property
    def url(self) -> str:
        """The address it listens on, with the port the system chose when NHACVIEC_WEB_PORT is 0."""
        host, port = self._runner.addresses[0][:2] if self._runner.addresses else (self.host, self.port)
        return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    async def stop(self) -> None:
        await self._runner.cleanup()
