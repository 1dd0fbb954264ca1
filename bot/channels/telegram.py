"""Telegram through python-telegram-bot: updates in, core outcomes out. No rules and no words here.

The pieces: `telegram_updates` (updates as `Incoming`), `telegram_sending` (replies and reminders as
Bot API calls), `telegram_menu` (the command menus), `telegram_errors` (Bot API errors as `SendError`),
`telegram_webhook` (the webhook's listener).

Updates come by long polling or by webhook. Polling starts with the channel, or (`nhacviec run`, several
instances) only while this instance holds the channel's poller lock (bot/instances.py), through
`start_polling` and `stop_polling`; either way a webhook left set is deleted at start, as Telegram
refuses getUpdates while one is set.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message, Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels import ChannelStartError, OtherChannels
from bot.channels.answers import AnswerSender, Retries
from bot.channels.telegram_errors import api
from bot.channels.telegram_menu import CommandMenus
from bot.channels.telegram_polling import CheckedUpdates
from bot.channels.telegram_sending import mark_tapped, send_reminder, send_reply
from bot.channels.telegram_updates import CHANNEL, to_incoming
from bot.channels.telegram_webhook import TelegramWebhook, listen
from bot.core import Core, Outcome, Reply
from messages import common
from scheduler.ratelimit import RateLimiter
from scheduler.sending import ReminderMessage, SendError, Transient, Unreachable
from storage.models import Role

log = logging.getLogger(__name__)
# Another poller of the same bot (an instance of another database, or a webhook set meanwhile) makes
# every poll a 409 Conflict: warn once, then at most this often (seconds), not a traceback a poll.
CONFLICT_WARNING_EVERY = 600.0
# Seconds that answers still being sent (a 429's wait, say) get once the channel stops taking updates:
# `nhacviec run` must end within 5 s of a SIGTERM (bot/app.py), and the reminders stop meanwhile.
STOP_WAIT = 2.0
ALLOWED_UPDATES = ["message", "callback_query"]


def deep_link(username: str, code: str) -> str:
    """The link that opens a chat with the bot and sends it `/start <code>` (Bot API: deep linking)."""
    return f"https://t.me/{username}?start={code}"


class TelegramChannel:
    def __init__(
        self,
        core: Core,
        *,
        token: str,
        base_url: str,
        limiter: RateLimiter | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.core = core
        self.answers = AnswerSender(limiter=limiter, retries=retries, sleep=sleep)
        self.others = OtherChannels()  # answers for people on another channel (bot.channels.connect)
        self._conflict_warned: float | None = None  # time.monotonic() of the last warning
        self._poll_timeout = 30
        self._handling: set[asyncio.Task[object]] = set()  # updates being handled and answered
        self._webhook: Any = None  # the webhook's listener, in webhook mode
        self.application: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(base_url.removesuffix("/bot") + "/file/bot")
            .concurrent_updates(64)
            .get_updates_request(CheckedUpdates(connection_pool_size=1))  # the builder's own, answers checked
            .build()
        )
        self.application.add_handler(MessageHandler(filters.ALL & ~filters.UpdateType.EDITED, self._on_update))
        self.application.add_handler(CallbackQueryHandler(self._on_update))
        self.application.add_error_handler(self._on_error)
        self.menus = CommandMenus(self.application.bot)
        core.config.fetch_file[CHANNEL] = self.fetch_file  # a plan sheet the office sends

    async def fetch_file(self, file_id: str) -> bytes:
        """A file a person sent (getFile, then its download): at most 20 MB, as the Bot API allows."""
        found = await self.application.bot.get_file(file_id)
        return bytes(await found.download_as_bytearray())

    async def _announce(self) -> None:
        """Learn our username (deep links need it) and set the command menus."""
        username = self.application.bot.username
        self.core.config.invite_link = lambda code: deep_link(username, code)
        await self.menus.set_everyones()
        for admin in self.core.config.admins:
            channel, _, user_id = admin.partition(":")
            if channel == CHANNEL:
                await self.menus.set_office(user_id, self.core.config.locale)

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        task = asyncio.current_task()
        if task is None:
            await self._handle(update)
            return
        self._handling.add(task)  # so a stop can give it a moment, then give it up (`quiesce`)
        try:
            await self._handle(update)
        finally:
            self._handling.discard(task)

    async def _handle(self, update: Update) -> None:
        query = update.callback_query
        if query is not None:
            try:
                await query.answer()
            except TelegramError as exc:  # the spinner on the button stays a moment; the tap is handled
                log.info("tap in chat %s not acknowledged: %s", update.effective_chat, exc)
        incoming = to_incoming(update)
        if incoming is None:
            return
        outcome = await self.core.handle(incoming)
        # The core has handled the message (it never raises): what fails from here on is showing the
        # answer, never recording the message, and the person is told so.
        lost: SendError | None
        try:
            if outcome.tapped_note and query is not None and isinstance(query.message, Message):
                await mark_tapped(query.message, outcome.tapped_note)
            lost = await self.deliver(incoming.chat_id, outcome)
        except Exception as exc:  # not PTB's error handler: its apology would say nothing was recorded
            log.exception("could not deliver the answer to chat %s", incoming.chat_id)
            lost = Transient(str(exc))
        if lost is not None and not isinstance(lost, Unreachable):
            await self._tell_lost(incoming.chat_id, outcome)

    async def _tell_lost(self, chat_id: str, outcome: Outcome) -> None:
        """One try at saying what became of a message whose answer could not be sent."""
        text = common.answer_lost(recorded=outcome.recorded, locale=outcome.locale or self.core.config.locale)
        bot = self.application.bot
        try:
            await self.answers.send(chat_id, lambda: api(lambda: bot.send_message(int(chat_id), text)), once=True)
        except SendError as exc:
            log.warning("could not tell chat %s that its answer was lost: %s", chat_id, exc.reason)

    async def deliver(self, chat_id: str, outcome: Outcome) -> SendError | None:
        """Send every reply, each retried on its own; the error that kept an answer from `chat_id`
        itself, None when all of its answers were sent. Replies to others are sent all the same."""
        if outcome.menu == Role.OFFICE:
            await self.menus.set_office(chat_id, self.core.config.locale)
        lost = None
        for reply in outcome.replies:
            if reply.channel not in (None, CHANNEL):
                await self.others.deliver(reply)
                continue
            target = reply.chat_id or chat_id
            try:
                await self._send(target, reply)
            except SendError as exc:
                log.warning("could not answer chat %s: %s", target, exc.reason)
                if target == chat_id and lost is None:
                    lost = exc
        return lost

    async def _send(self, chat_id: str, reply: Reply) -> None:
        async def retried(call: Callable[[], Awaitable[object]]) -> None:
            await self.answers.send(chat_id, lambda: api(call), group=int(chat_id) < 0)

        await send_reply(self.application.bot, chat_id, reply, retried)

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        """The dispatcher's Sender: one reminder, with the channel's errors told apart
        (`telegram_sending.send_reminder` says why it is a raw sendMessage)."""
        return await send_reminder(self.application.bot, message)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An error before the core had the message (`_on_update` handles those after): not recorded."""
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await update.effective_chat.send_message(common.internal_error(self.core.config.locale))
            except TelegramError:
                log.warning("could not tell chat %s about the error", update.effective_chat.id)

    def _on_polling_error(self, error: TelegramError) -> None:
        """python-telegram-bot's error callback for getUpdates (a plain function, as it requires)."""
        if not isinstance(error, Conflict):
            log.error("polling for updates failed", exc_info=error)  # as python-telegram-bot does by default
            return
        now = time.monotonic()
        if self._conflict_warned is not None and now - self._conflict_warned < CONFLICT_WARNING_EVERY:
            return
        self._conflict_warned = now
        log.warning(
            "another instance polls this Telegram bot, or a webhook is set (%s): each update reaches one of "
            "them only; this instance keeps polling",
            error.message,
        )

    async def start(
        self, *, poll_timeout: int = 30, polling: bool = True, webhook: TelegramWebhook | None = None
    ) -> None:
        """Updates by `webhook` when given, else by long polling: at once, or (`polling=False`) from
        `start_polling` on."""
        try:
            await self.application.initialize()
        except InvalidToken as exc:
            raise ChannelStartError("Telegram refused NHACVIEC_TELEGRAM_TOKEN; check it with BotFather.") from exc
        except NetworkError as exc:
            raise ChannelStartError(
                f"cannot reach the Telegram Bot API ({exc.message}); check NHACVIEC_TELEGRAM_API_URL."
            ) from exc
        await self._announce()
        await self.application.start()
        self._poll_timeout = poll_timeout
        if webhook is not None:
            await self._take_webhook(webhook)
            return
        await self.application.bot.delete_webhook()  # back to polling: getUpdates is refused while one is set
        if polling:
            await self.start_polling()

    async def _take_webhook(self, webhook: TelegramWebhook) -> None:
        try:
            self._webhook = await listen(webhook, self.application)
        except OSError as exc:
            raise ChannelStartError(
                f"cannot listen for Telegram's webhook on {webhook.host}:{webhook.port} ({exc.strerror}); "
                "check NHACVIEC_TELEGRAM_WEBHOOK_PORT."
            ) from exc
        try:
            await self.application.bot.set_webhook(
                webhook.url, secret_token=webhook.secret, allowed_updates=ALLOWED_UPDATES
            )
        except TelegramError as exc:
            await self._webhook.cleanup()
            self._webhook = None
            raise ChannelStartError(
                f"Telegram refused the webhook ({exc.message}); check NHACVIEC_TELEGRAM_WEBHOOK_URL."
            ) from exc

    async def start_polling(self) -> None:
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=self._poll_timeout, allowed_updates=ALLOWED_UPDATES, error_callback=self._on_polling_error
        )

    async def stop_polling(self) -> None:
        """Stop polling; the updates fetched are confirmed, so the next poller does not get them again."""
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()

    async def quiesce(self, within: float = STOP_WAIT) -> None:
        """Take no more updates, and give the answers being sent `within` seconds; the rest are
        given up (their messages were recorded before any answer was sent)."""
        await self.stop_polling()
        if self._webhook is not None:
            await self._webhook.cleanup()
            self._webhook = None
        handling = [task for task in self._handling if not task.done()]
        if handling:
            _done, late = await asyncio.wait(handling, timeout=within)
            for task in late:
                task.cancel()
            if late:
                log.warning("stopped: %d answers still being sent were given up", len(late))
                await asyncio.wait(late, timeout=1)

    async def stop(self) -> None:
        await self.quiesce()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
