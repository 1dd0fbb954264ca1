"""An HTTP proxy on loopback before a fake Bot API that, when told, fails calls with an error that
quotes the request's path, token and all, as some gateways and self-hosted API servers do, or
holds them back a while.

    async with EchoingProxy(server.root) as proxy:     # point the bot at proxy.root
        proxy.fail_next("getUpdates", 2)                # 502 {"ok": false, "description": "... /bot<token>/getUpdates"}
        proxy.gate = asyncio.Event()                    # calls (but long polls) wait until it is set

Every other call is passed on to the server as it came, and its answer back as it went.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Self

import aiohttp
from aiohttp import web


class EchoingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.echoed = 0  # calls failed with the path quoted
        self._failing: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0
        self.gate: asyncio.Event | None = None  # when given, calls but getUpdates wait for it before going on

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, method: str, n: int = 1) -> None:
        self._failing[method] += n

    async def __aenter__(self) -> Self:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        application = web.Application(client_max_size=50 * 1024 * 1024)
        application.router.add_route("*", "/{tail:.*}", self._pass)
        self._runner = web.AppRunner(application, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def _pass(self, request: web.Request) -> web.StreamResponse:
        method = request.path.rsplit("/", 1)[-1]
        if self._failing[method] > 0:
            self._failing[method] -= 1
            self.echoed += 1
            description = f"Bad Gateway: the upstream closed the connection for {request.method} {request.path}"
            return web.json_response({"ok": False, "error_code": 502, "description": description}, status=502)
        assert self._client is not None
        if self.gate is not None and method != "getUpdates":
            await self.gate.wait()
        headers = {key: value for key, value in request.headers.items() if key.lower() in ("content-type",)}
        try:
            async with self._client.request(
                request.method, self.upstream + request.path_qs, data=await request.read(), headers=headers
            ) as answer:
                body = await answer.read()
                return web.Response(body=body, status=answer.status, content_type=answer.content_type)
        except aiohttp.ClientConnectionError:  # the server dropped the call: so does the proxy
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=502)  # never written: the connection is gone
