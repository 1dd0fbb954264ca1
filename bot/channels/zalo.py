"""Zalo through a thin httpx client of the Zalo Bot API, behind the same core as Telegram.

Zalo has no buttons, no edits and no documents: a reply with buttons becomes numbered choices
("Trả lời 1 = ..."), and a bare number sent back stands for the choice. getUpdates returns one update
per call with no offset, and an idle long poll answers HTTP 408, which is normal. Webhook bodies come
wrapped in {ok, result} or bare; the secret header is compared in constant time.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from bot.channels import ChannelStartError, OtherChannels
from bot.channels.answers import AnswerSender, Retries
from bot.core import Core, Incoming, Outcome, Reply
from bot.core.ids import choice_number
from bot.core.types import Attachment, Button
from messages import common
from messages.reminders import numbered_choices
from messages.text import split_text
from scheduler.ratelimit import RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, SendError, Transient, Unreachable

log = logging.getLogger(__name__)
T = TypeVar("T")
CHANNEL = "zalo"
TEXT_LIMIT = 2000
RATE_PAUSE = 5.0  # Zalo's 429 says no retry_after: the wait before trying again
SECRET_HEADER = "X-Bot-Api-Secret-Token"
STOP_WAIT = 5.0  # seconds that stop() gives answers still being sent
_SEEN = 5000  # message ids remembered to drop an update delivered twice


@dataclass(frozen=True)
class Webhook:
    url: str  # the public address Zalo calls
    secret: str
    host: str = "0.0.0.0"
    port: int = 8443

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


class ZaloError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class ZaloClient:
    """The Bot API methods the bot uses, over one httpx client."""

    def __init__(self, token: str, api_url: str, *, client: httpx.AsyncClient | None = None) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}/"
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=45.0))

    async def call(self, method: str, **params: Any) -> Any:
        response = await self._client.post(self._base + method, json=params)
        try:
            body = response.json()
        except ValueError:
            raise ZaloError(response.status_code, response.text[:200]) from None
        if response.status_code >= 400 or not body.get("ok"):
            raise ZaloError(int(body.get("error_code") or response.status_code), str(body.get("description", "")))
        return body.get("result")

    async def get_update(self, poll_seconds: int) -> dict[str, Any] | None:
        """The next update, or None when the long poll ended idle (HTTP 408)."""
        try:
            result = await self.call("getUpdates", timeout=poll_seconds)
        except ZaloError as exc:
            if exc.status == 408:
                return None
            raise
        return result if isinstance(result, dict) else None

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        result = await self.call("sendMessage", chat_id=chat_id, text=text)
        return result if isinstance(result, dict) else {}

    async def close(self) -> None:
        await self._client.aclose()


def send_error(exc: httpx.HTTPError | ZaloError) -> SendError:
    """A Zalo error as the dispatcher and the answers tell them apart."""
    if isinstance(exc, httpx.HTTPError):
        return Transient(str(exc))
    if exc.status == 429:
        return RetryLater(RATE_PAUSE)
    if exc.status in (401, 403) or "not found" in exc.description.lower():
        code = "not_found" if "not found" in exc.description.lower() else "refused"
        return Unreachable(exc.description or str(exc), code=code)
    if exc.status >= 500:
        return Transient(exc.description)
    return Rejected(exc.description)


async def _api(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except (httpx.HTTPError, ZaloError) as exc:
        raise send_error(exc) from exc


def unwrap(body: Any) -> dict[str, Any] | None:
    """A webhook body, wrapped in {ok, result} or bare: the update either way."""
    if isinstance(body, dict) and "result" in body and isinstance(body["result"], dict):
        body = body["result"]
    return body if isinstance(body, dict) and "message" in body else None


class ZaloChannel:
    def __init__(
        self,
        core: Core,
        *,
        token: str,
        api_url: str,
        client: httpx.AsyncClient | None = None,
        poll_seconds: int = 30,
        limiter: RateLimiter | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.core = core
        self.answers = AnswerSender(limiter=limiter, retries=retries, sleep=sleep)
        self.others = OtherChannels()  # answers for people on another channel (bot.channels.connect)
        self.poll_seconds = poll_seconds
        self.client = ZaloClient(token, api_url, client=client)
        self._choices: dict[str, list[Button]] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._task: asyncio.Task[None] | None = None
        self._answering: set[asyncio.Task[None]] = set()  # answers still being sent
        self._runner: Any = None  # the webhook listener, in webhook mode

    # -- updates in ----------------------------------------------------------------------------

    def to_incoming(self, update: dict[str, Any]) -> Incoming | None:
        message = update.get("message")
        if not isinstance(message, dict):
            return None
        sender, chat = message.get("from") or {}, message.get("chat") or {}
        user_id, chat_id = str(sender.get("id", "")), str(chat.get("id", ""))
        if not user_id or not chat_id or sender.get("is_bot"):
            return None
        event = str(update.get("event_name", ""))
        text = str(message.get("text") or message.get("caption") or "")
        attachment = None
        if event == "message.image.received" and message.get("photo_url"):
            attachment = Attachment("photo", str(message["photo_url"]), "")
        via_button = False
        choices = self._choices.get(chat_id, [])
        number = choice_number(text, len(choices))
        if number is not None:
            text, via_button = choices[number - 1].data, True
        return Incoming(
            channel=CHANNEL,
            user_id=user_id,
            chat_id=chat_id,
            text=text,
            display_name=str(sender.get("display_name", "")),
            private=chat.get("chat_type", "PRIVATE") == "PRIVATE",
            has_media=attachment is None and event not in ("message.text.received", ""),
            attachment=attachment,
            via_button=via_button,
        )

    async def _first_time(self, update: dict[str, Any]) -> bool:
        """Whether this message comes for the first time: the recent ids in memory, all of the last
        week's in the database (a restart forgets nothing)."""
        message_id = str((update.get("message") or {}).get("message_id", ""))
        if not message_id:
            return True
        if message_id in self._seen:
            return False
        first = await self.core.first_delivery(CHANNEL, message_id)
        self._seen[message_id] = None
        while len(self._seen) > _SEEN:
            self._seen.popitem(last=False)
        return first

    async def handle_update(self, update: dict[str, Any]) -> None:
        """Handle one update, in the order they come; its answer goes out in the background, so an
        answer being retried (up to `Retries.budget`) holds up nobody else's messages."""
        if not await self._first_time(update):
            return
        incoming = self.to_incoming(update)
        if incoming is None:
            return
        outcome = await self.core.handle(incoming)
        task = asyncio.create_task(self._answer(incoming.chat_id, outcome))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _answer(self, chat_id: str, outcome: Outcome) -> None:
        # The core has handled the message (it never raises): a failure now is the answer's, never the
        # record's, and the person is told so.
        try:
            lost = await self.deliver(chat_id, outcome)
        except Exception as exc:
            log.exception("could not deliver the answer to Zalo chat %s", chat_id)
            lost = Transient(str(exc))
        if lost is not None and not isinstance(lost, Unreachable):
            await self._tell_lost(chat_id, outcome)

    async def _tell_lost(self, chat_id: str, outcome: Outcome) -> None:
        """One try at saying what became of a message whose answer could not be sent."""
        text = common.answer_lost(recorded=outcome.recorded, locale=outcome.locale or self.core.config.locale)
        try:
            await self.answers.send(chat_id, partial(_api, partial(self._send_chunk, chat_id, text)), once=True)
        except SendError as exc:
            log.warning("could not tell Zalo chat %s that its answer was lost: %s", chat_id, exc.reason)

    async def handle_webhook(self, headers: dict[str, str], body: bytes, *, secret: str) -> int:
        """A webhook call: 401 without the right secret, 400 for a body that is no update, else 200."""
        given = next((value for key, value in headers.items() if key.lower() == SECRET_HEADER.lower()), "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return 401
        try:
            update = unwrap(json.loads(body))
        except ValueError:
            return 400
        if update is None:
            return 400
        await self.handle_update(update)
        return 200

    async def _poll(self) -> None:
        while True:
            try:
                update = await self.client.get_update(poll_seconds=self.poll_seconds)
            except (httpx.HTTPError, ZaloError) as exc:
                log.warning("Zalo getUpdates failed: %s", exc)
                await asyncio.sleep(5)
                continue
            if update is not None:
                try:
                    await self.handle_update(update)
                except Exception:
                    log.exception("failed to handle a Zalo update")

    async def start(self, *, webhook: Webhook | None = None) -> None:
        """Long polling by default; with a webhook, listen for Zalo's calls and tell Zalo where to send them."""
        try:
            await self.client.call("getMe")
            if webhook is None:
                await self.client.call("deleteWebhook")
            else:
                await self._listen(webhook)
                await self.client.call("setWebhook", url=webhook.url, secret_token=webhook.secret)
        except (httpx.HTTPError, ZaloError, OSError) as exc:
            raise ChannelStartError(f"cannot use the Zalo Bot API ({exc}); check the NHACVIEC_ZALO_ settings.") from exc
        if webhook is None:
            self._task = asyncio.create_task(self._poll())

    async def _listen(self, webhook: Webhook) -> None:
        from aiohttp import web

        async def receive(request: web.Request) -> web.Response:
            status = await self.handle_webhook(dict(request.headers), await request.read(), secret=webhook.secret)
            return web.json_response({"ok": status == 200}, status=status)

        application = web.Application()
        application.router.add_post(webhook.path, receive)
        self._runner = web.AppRunner(application)
        await self._runner.setup()
        await web.TCPSite(self._runner, webhook.host, webhook.port).start()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        answering = list(self._answering)
        if answering:  # a moment for answers on their way; one still retrying is given up
            _done, pending = await asyncio.wait(answering, timeout=STOP_WAIT)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        await self.client.close()

    # -- messages out --------------------------------------------------------------------------

    def _text(self, chat_id: str, reply: Reply) -> str:
        buttons = [button for row in reply.buttons for button in row]
        if not buttons:
            return reply.text
        self._choices[chat_id] = buttons
        return f"{reply.text}\n\n{numbered_choices([b.label for b in buttons], self.core.config.locale)}"

    async def _count(self, messages: int) -> None:
        """Count what was sent against the monthly quota (the planner warns the office near it)."""
        await self.core.count_sent(CHANNEL, messages)

    async def deliver(self, chat_id: str, outcome: Outcome) -> SendError | None:
        """Send every reply, each chunk retried on its own; the error that kept an answer from `chat_id`
        itself, None when all of its answers were sent. Replies to others are sent all the same."""
        lost = None
        for reply in outcome.replies:
            if reply.channel not in (None, CHANNEL):
                await self.others.deliver(reply)
                continue
            target = reply.chat_id or chat_id
            try:
                for chunk in split_text(self._text(target, reply), TEXT_LIMIT):
                    await self.answers.send(target, partial(_api, partial(self._send_chunk, target, chunk)))
            except SendError as exc:
                log.warning("could not answer Zalo chat %s: %s", target, exc.reason)
                if target == chat_id and lost is None:
                    lost = exc
        return lost

    async def _send_chunk(self, chat_id: str, text: str) -> dict[str, Any]:
        """One sendMessage, counted against the monthly quota once Zalo has accepted it."""
        result = await self.client.send_message(chat_id, text)
        await self._count(1)
        return result

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        buttons = [[Button(label, data) for label, data in row] for row in message.buttons]
        text = self._text(message.chat_id, Reply(message.text, buttons))
        result = {}
        for chunk in split_text(text, TEXT_LIMIT):
            result = await _api(partial(self._send_chunk, message.chat_id, chunk))
        return str(result.get("message_id", "")) or None
