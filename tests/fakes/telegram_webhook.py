"""The fake Bot API's webhook: once setWebhook is called, the bot's updates are POSTed to its URL.

As https://core.telegram.org/bots/api#setwebhook describes: each update is an HTTPS POST of the JSON
`Update`, with the header ``X-Telegram-Bot-Api-Secret-Token`` when a ``secret_token`` was set; an answer
other than 2XX (or none) is tried again later, and its error is shown by getWebhookInfo
(``last_error_date``, ``last_error_message``). Updates go out in order, one at a time (Telegram sends up
to ``max_connections`` at once; the fake records the number and sends one).

The URL must be HTTPS, and a test has no TLS: the test plays the reverse proxy in front of the bot
with :meth:`WebhookDelivery.route`, which maps a public ``https://`` prefix to local ``http://`` addresses
and takes them in turn for each call, as a proxy balancing several instances does. A URL with no route
fails as an unreachable host would.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from tests.fakes.telegram_objects import JSON, TelegramWorld

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookCall:
    """One POST of an update to the webhook, and how it went."""

    update_id: int
    url: str  # the webhook's public URL
    target: str  # where the proxy sent it ("" when there was no route)
    status: int | None  # None: no answer
    error: str | None
    at: float  # time.monotonic()


class WebhookDelivery:
    """Delivers the world's pending updates to the webhook while one is set (`set`, `clear`)."""

    def __init__(self, world: TelegramWorld) -> None:
        self.world = world
        self.url = ""
        self.secret: str | None = None
        self.calls: list[WebhookCall] = []
        self.last_error: tuple[int, str] | None = None  # (unix time, message), for getWebhookInfo
        self.retry_pause = 0.3  # seconds before an update whose call failed is tried again
        self.timeout = 10.0  # seconds to wait for the bot's answer
        self._routes: dict[str, list[str]] = {}
        self._turns = itertools.count()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def route(self, public_prefix: str, *targets: str) -> None:
        """Calls to URLs under `public_prefix` go to each of `targets` (http://127.0.0.1:PORT) in turn."""
        self._routes[public_prefix] = list(targets)

    def set(self, url: str, secret: str | None) -> None:
        self.url, self.secret = url, secret
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver())

    async def clear(self) -> None:
        self.url, self.secret = "", None
        self.last_error = None
        await self.stop()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def target(self, url: str) -> str:
        for prefix, targets in self._routes.items():
            if url.startswith(prefix) and targets:
                return targets[next(self._turns) % len(targets)].rstrip("/") + "/" + url[len(prefix) :].lstrip("/")
        return ""

    async def _deliver(self) -> None:
        while self.url:
            if not self.world.updates:
                await self.world.updates_signal.wait(1.0)
                continue
            update = self.world.updates[0]
            if await self._post(update):
                if self.world.updates and self.world.updates[0] is update:
                    self.world.updates.pop(0)
            else:
                await asyncio.sleep(self.retry_pause)

    async def _post(self, update: JSON) -> bool:
        target = self.target(self.url)
        status: int | None = None
        error: str | None = None
        if not target:
            error = "Connection refused"  # the fake reaches no real host
        else:
            headers = {"Content-Type": "application/json"}
            if self.secret:
                headers[SECRET_HEADER] = self.secret
            if self._session is None:
                self._session = aiohttp.ClientSession()
            try:
                async with self._session.post(
                    target, data=json.dumps(update), headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout)
                ) as response:
                    status = response.status
                    await response.read()
            except aiohttp.ClientConnectorError:
                error = "Connection refused"
            except (aiohttp.ClientError, TimeoutError):
                error = "Read timeout expired"
        if status is not None and not 200 <= status < 300:
            error = f"Wrong response from the webhook: {status}"
        self.calls.append(WebhookCall(int(update["update_id"]), self.url, target, status, error, time.monotonic()))
        if error is not None:
            self.last_error = (int(time.time()), error)
        return error is None
