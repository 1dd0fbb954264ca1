"""Zalo's webhook: where it calls, the secret it sends, the bodies it posts, and the listener for them."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Webhook:
    url: str  # the public address Zalo calls
    secret: str
    host: str = "0.0.0.0"
    port: int = 8443

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


def from_settings(settings: Settings) -> Webhook | None:
    """The webhook the settings ask for; None: long polling."""
    if settings.zalo_webhook_url is None or settings.zalo_webhook_secret is None:
        return None
    return Webhook(
        str(settings.zalo_webhook_url),
        settings.zalo_webhook_secret.get_secret_value(),
        host=settings.zalo_webhook_listen,
        port=settings.zalo_webhook_port,
    )


def unwrap(body: Any) -> dict[str, Any] | None:
    """A webhook body, wrapped in {ok, result} or bare: the update either way."""
    if isinstance(body, dict) and "result" in body and isinstance(body["result"], dict):
        body = body["result"]
    return body if isinstance(body, dict) and "message" in body else None


def read_call(headers: dict[str, str], body: bytes, *, secret: str) -> tuple[int, dict[str, Any] | None]:
    """A webhook call's HTTP status and its update: 401 without the right secret (compared in constant
    time), 400 for a body that is no update, else 200 and the update."""
    given = next((value for key, value in headers.items() if key.lower() == SECRET_HEADER.lower()), "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return 401, None
    try:
        update = unwrap(json.loads(body))
    except ValueError:  # not JSON (nor UTF-8)
        update = None
    if update is None:
        log.warning("refused a Zalo webhook call whose body is no update")
        return 400, None
    return 200, update


async def listen(webhook: Webhook, handle: Callable[[dict[str, str], bytes], Awaitable[int]]) -> Any:
    """Serve Zalo's calls on the webhook's address, each answered with `handle`'s status; the runner
    to clean up on stop."""
    from aiohttp import web

    async def receive(request: web.Request) -> web.Response:
        status = await handle(dict(request.headers), await request.read())
        return web.json_response({"ok": status == 200}, status=status)

    application = web.Application()
    application.router.add_post(webhook.path, receive)
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, webhook.host, webhook.port).start()
    return runner
