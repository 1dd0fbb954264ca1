"""Zalo through a thin httpx client of the Zalo Bot API, behind the same core as Telegram.

Zalo has no buttons, no edits and no documents: a reply with buttons becomes numbered choices
("Trả lời 1 = ..."), and a bare number sent back stands for the choice (`zalo_updates`); a file answer
is a one-time link to the web page (`CAPABILITIES`, bot/core/file_links.py), the chart also a picture. The
client and its errors are in `zalo_client`, the webhook's address, secret and bodies in `zalo_webhook`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import httpx

from bot.channels import ChannelStartError, OtherChannels
from bot.channels.answers import AnswerSender, Retries
from bot.channels.zalo_client import ZaloClient, ZaloError, api, spent
from bot.channels.zalo_updates import CHANNEL, Unreadable, read_update, to_incoming
from bot.channels.zalo_webhook import Webhook, listen, read_call
from bot.core import Core, Outcome, Reply
from bot.core.types import Button, Capabilities
from messages import common
from messages.reminders import numbered_choices
from messages.text import split_text
from scheduler.ratelimit import RateLimiter
from scheduler.sending import ReminderMessage, SendError, Transient, Unreachable

log = logging.getLogger(__name__)
TEXT_LIMIT = 2000
# No documents; pictures only from a public address: a file answer is a link to the web page instead
CAPABILITIES = Capabilities(files=False, photos_by_url=True, replies=False)
STOP_WAIT = 2.0  # seconds that stop() gives answers still being sent (`nhacviec run` ends within 5 s)
_SEEN = 5000  # message ids remembered to drop an update delivered twice


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
        core.config.capabilities[CHANNEL] = CAPABILITIES
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

    async def _first_time(self, message_id: str) -> bool:
        """Whether this message comes for the first time: the recent ids in memory, all of the last
        week's in the database (a restart forgets nothing)."""
        if not message_id:
            return True
        if message_id in self._seen:
            return False
        first = await self.core.first_delivery(CHANNEL, message_id)
        self._seen[message_id] = None
        while len(self._seen) > _SEEN:
            self._seen.popitem(last=False)
        return first

    async def handle_update(self, update: object) -> bool:
        """Handle one update, in the order they come; its answer goes out in the background, so an
        answer being retried (up to `Retries.budget`) holds up nobody else's messages. False for an
        update the bot cannot read: dropped, and logged once with the field at fault."""
        try:
            message = read_update(update)
        except Unreadable as exc:
            log.warning("dropped a Zalo update that cannot be read: %s", exc)
            return False
        if not await self._first_time(message.message_id):
            return True
        incoming = to_incoming(message, self._choices)
        if incoming is None:
            return True
        outcome = await self.core.handle(incoming)
        task = asyncio.create_task(self._answer(incoming.chat_id, outcome))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)
        return True

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
            await self.answers.send(chat_id, partial(api, partial(self._send_chunk, chat_id, text)), once=True)
        except SendError as exc:
            log.warning("could not tell Zalo chat %s that its answer was lost: %s", chat_id, exc.reason)

    async def handle_webhook(self, headers: dict[str, str], body: bytes, *, secret: str) -> int:
        """A webhook call: 401 without the right secret, 400 for a body that is no update or one the
        bot cannot read (never 500, which Zalo would send again), else 200."""
        status, update = read_call(headers, body, secret=secret)
        if update is not None and not await self.handle_update(update):
            return 400
        return status

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

    async def start(self, *, webhook: Webhook | None = None, polling: bool = True) -> None:
        """Long polling by default (at once, or with `polling=False` from `start_polling` on: one instance
        of several polls, bot/instances.py); with a webhook, listen for Zalo's calls and tell Zalo where
        to send them."""
        try:
            await self.client.call("getMe")
            if webhook is None:
                await self.client.call("deleteWebhook")
            else:
                self._runner = await listen(webhook, partial(self.handle_webhook, secret=webhook.secret))
                await self.client.call("setWebhook", url=webhook.url, secret_token=webhook.secret)
        except (httpx.HTTPError, ZaloError, OSError) as exc:
            raise ChannelStartError(f"cannot use the Zalo Bot API ({exc}); check the NHACVIEC_ZALO_ settings.") from exc
        if webhook is None and polling:
            await self.start_polling()

    async def start_polling(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._poll())

    async def stop_polling(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def quiesce(self, within: float = STOP_WAIT) -> None:
        """Take no more updates, and give the answers on their way `within` seconds; one still
        retrying is given up."""
        await self.stop_polling()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        answering = list(self._answering)
        if answering:
            _done, pending = await asyncio.wait(answering, timeout=within)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def stop(self) -> None:
        await self.quiesce()
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
                    await self.answers.send(target, partial(api, partial(self._send_chunk, target, chunk)))
                if reply.photo_url:
                    await self.answers.send(target, partial(api, partial(self._send_photo, target, reply.photo_url)))
            except SendError as exc:
                log.warning("could not answer Zalo chat %s: %s", target, exc.reason)
                if target == chat_id and lost is None:
                    lost = exc
        return lost

    async def _send_chunk(self, chat_id: str, text: str) -> dict[str, Any]:
        """One sendMessage, counted against the monthly quota once Zalo has accepted it."""
        try:
            result = await self.client.send_message(chat_id, text)
        except ZaloError as exc:
            if spent(exc):
                await self.core.quota_spent(CHANNEL)
            raise
        await self._count(1)
        return result

    async def _send_photo(self, chat_id: str, url: str) -> dict[str, Any]:
        result = await self.client.send_photo(chat_id, url)
        await self._count(1)
        return result

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        buttons = [[Button(label, data) for label, data in row] for row in message.buttons]
        text = self._text(message.chat_id, Reply(message.text, buttons))
        result = {}
        for chunk in split_text(text, TEXT_LIMIT):
            result = await api(partial(self._send_chunk, message.chat_id, chunk))
        return str(result.get("message_id", "")) or None
