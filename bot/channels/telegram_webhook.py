"""Telegram's webhook: the address Telegram calls, the secret it sends, and the listener for its calls.

With `NHACVIEC_TELEGRAM_WEBHOOK_URL` set, every instance listens on `NHACVIEC_TELEGRAM_WEBHOOK_PORT`
behind the HTTPS proxy that the URL names, and calls setWebhook at start (the same URL, secret and
update types each time, so any number of instances may). Telegram sends the secret in the header
`X-Telegram-Bot-Api-Secret-Token` of every call (https://core.telegram.org/bots/api#setwebhook): a
call without it, or with another, is refused with 403 before its body is read. An update is handed
to python-telegram-bot's queue and answered 200 at once, as python-telegram-bot's own webhook server
does: Telegram waits for nobody's answer to a person.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class TelegramWebhook:
    url: str  # the public HTTPS address Telegram calls (the proxy's)
    secret: str
    host: str = "0.0.0.0"
    port: int = 8444

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


def from_settings(settings: Settings) -> TelegramWebhook | None:
    """The webhook the settings ask for; None: long polling."""
    if settings.telegram_webhook_url is None or settings.telegram_webhook_secret is None:
        return None
    return TelegramWebhook(
        str(settings.telegram_webhook_url),
        settings.telegram_webhook_secret.get_secret_value(),
        host=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
    )


async def listen(webhook: TelegramWebhook, application: Application) -> web.AppRunner:  # type: ignore[type-arg]
    """Serve Telegram's calls on the webhook's address until the runner is cleaned up."""
    secret = webhook.secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            log.warning("refused a webhook call from %s: %s secret", request.remote, "wrong" if given else "no")
            return web.Response(status=403)
        try:
            data: Any = await request.json()
            update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
        except Exception:  # not JSON, or not an update: Telegram sends neither
            update = None
        if update is None:
            log.warning("dropped a Telegram update that cannot be read: the webhook's body is no update")
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response(status=200)

    server = web.Application()
    server.router.add_post(webhook.path, receive)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, webhook.host, webhook.port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
