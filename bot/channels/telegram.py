"""Telegram through python-telegram-bot: updates in, core outcomes out. No rules and no words here."""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.channels import ChannelStartError, OtherChannels
from bot.channels.answers import AnswerSender, Retries
from bot.core import Core, Incoming, Outcome, Reply
from bot.core.types import Attachment
from messages import common
from messages.text import shorten, split_text
from scheduler.ratelimit import RateLimiter
from scheduler.sending import Rejected, ReminderMessage, RetryLater, SendError, Transient, Unreachable
from storage.models import Role

log = logging.getLogger(__name__)
T = TypeVar("T")
CHANNEL = "telegram"
TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
# Another poller of the same bot (a second instance) makes every poll a 409 Conflict: warn once, then
# at most this often (seconds), not a traceback a poll. One poller at a time is issue 17's work.
CONFLICT_WARNING_EVERY = 600.0
# `send_reminder` calls sendMessage through `Bot.do_api_request` on purpose (see there); PTB suggests
# `Bot.send_message` whenever it sees a method it knows. pyproject.toml says the same to pytest.
warnings.filterwarnings("ignore", r"Please use 'Bot\.sendMessage'", PTBUserWarning)


def to_incoming(update: Update) -> Incoming | None:
    """The core's view of a Telegram update: a message, or a button tap standing for a command."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    query = update.callback_query
    message = update.message
    attachment = None
    reply_to = None
    if query is not None:
        text, has_media = query.data or "", False
    elif message is not None:
        text = message.text or message.caption or ""
        attachment = _attachment(message)
        has_media = attachment is None and message.effective_attachment is not None
        reply_to = str(message.reply_to_message.message_id) if message.reply_to_message else None
    else:
        return None
    return Incoming(
        channel=CHANNEL,
        user_id=str(user.id),
        chat_id=str(chat.id),
        text=text,
        display_name=user.full_name,
        username=user.username,
        private=chat.type == chat.PRIVATE,
        has_media=has_media,
        reply_to=reply_to,
        attachment=attachment,
        via_button=query is not None,
    )


def _attachment(message: Message) -> Attachment | None:
    if message.document is not None:
        return Attachment("document", message.document.file_id, message.document.file_name or "")
    if message.photo:
        return Attachment("photo", message.photo[-1].file_id, "")  # the largest size
    return None


def _keyboard(reply: Reply) -> list[list[tuple[str, str]]]:
    """The buttons Telegram can take: labels shortened to 64 characters, no callback data over 64 bytes."""
    return _fitting([[(b.label, b.data) for b in row] for row in reply.buttons])


def _fitting(rows: Sequence[Sequence[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    fitted = [
        [(shorten(label, 64), data) for label, data in row if len(data.encode()) <= CALLBACK_LIMIT] for row in rows
    ]
    return [row for row in fitted if row]


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = _keyboard(reply)
    if not rows:
        return None
    buttons = [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    return InlineKeyboardMarkup(buttons)


def send_error(exc: TelegramError) -> SendError:
    """A Bot API error as the dispatcher and the answers tell them apart."""
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        return RetryLater(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
    if isinstance(exc, Forbidden):  # the person blocked the bot, or cannot be written to at all
        text = exc.message.lower()
        code = "blocked" if "blocked" in text else "deactivated" if "deactivated" in text else "refused"
        if "can't initiate" in text:
            code = "never_started"
        return Unreachable(exc.message, code=code)
    if isinstance(exc, BadRequest):
        if "chat not found" in exc.message.lower():
            return Unreachable(f"never opened a chat with the bot ({exc.message})", code="never_started")
        return Rejected(exc.message)
    return Transient(exc.message)  # NetworkError (TimedOut, 5xx answers) and anything else


async def _api(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except TelegramError as exc:
        raise send_error(exc) from exc


def _inline_keyboard(buttons: Sequence[Sequence[tuple[str, str]]]) -> dict[str, Any]:
    """The Bot API's InlineKeyboardMarkup object for (label, data) rows, without building PTB objects."""
    rows = _fitting(buttons)
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row] for row in rows]}


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
        self._office_menus: set[str] = set()
        self._conflict_warned: float | None = None  # time.monotonic() of the last warning
        self.application: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(base_url.removesuffix("/bot") + "/file/bot")
            .concurrent_updates(64)
            .build()
        )
        self.application.add_handler(MessageHandler(filters.ALL & ~filters.UpdateType.EDITED, self._on_update))
        self.application.add_handler(CallbackQueryHandler(self._on_update))
        self.application.add_error_handler(self._on_error)

    async def _announce(self) -> None:
        """Learn our username (deep links need it) and set the command menus."""
        bot = self.application.bot
        username = bot.username
        self.core.config.invite_link = lambda code: deep_link(username, code)
        for locale, language in (("vi", None), ("en", "en")):
            commands = [BotCommand(name, text) for name, text in common.menu(None, locale)]
            await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=language)
        for admin in self.core.config.admins:
            channel, _, user_id = admin.partition(":")
            if channel == CHANNEL:
                await self._office_menu(user_id)

    async def _office_menu(self, chat_id: str) -> None:
        if chat_id in self._office_menus:
            return
        commands = [BotCommand(name, text) for name, text in common.menu(Role.OFFICE, self.core.config.locale)]
        try:
            await self.application.bot.set_my_commands(commands, scope=BotCommandScopeChat(int(chat_id)))
            self._office_menus.add(chat_id)
        except TelegramError as exc:  # the admin has not opened a chat with the bot yet
            log.info("office menu not set for chat %s: %s", chat_id, exc)

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
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
                await self._mark_tapped(query.message, outcome.tapped_note)
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
            await self.answers.send(chat_id, lambda: _api(lambda: bot.send_message(int(chat_id), text)), once=True)
        except SendError as exc:
            log.warning("could not tell chat %s that its answer was lost: %s", chat_id, exc.reason)

    async def _mark_tapped(self, message: Message, note: str) -> None:
        """Show on the tapped message what was recorded and by whom, and take its buttons away."""
        text = split_text(f"{message.text or ''}\n\n{note}", TEXT_LIMIT)[-1]
        try:
            await message.edit_text(text, reply_markup=None)
        except TelegramError as exc:  # too old to edit, or already edited by a second tap
            log.info("could not edit message %s: %s", message.message_id, exc)

    async def deliver(self, chat_id: str, outcome: Outcome) -> SendError | None:
        """Send every reply, each retried on its own; the error that kept an answer from `chat_id`
        itself, None when all of its answers were sent. Replies to others are sent all the same."""
        if outcome.menu == Role.OFFICE:
            await self._office_menu(chat_id)
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
        bot, chat = self.application.bot, int(chat_id)

        async def retried(call: Callable[[], Awaitable[object]]) -> None:
            await self.answers.send(chat_id, lambda: _api(call), group=chat < 0)

        if reply.document is not None:
            file = InputFile(reply.document.content, filename=reply.document.file_name)
            await retried(lambda: bot.send_document(chat, file, caption=reply.text[:1024]))
            return
        if reply.photo is not None:
            picture = InputFile(reply.photo.content, filename=reply.photo.file_name)
            await retried(lambda: bot.send_photo(chat, picture, caption=reply.text[:1024]))
            return
        chunks = split_text(reply.text, TEXT_LIMIT)
        for index, chunk in enumerate(chunks):
            markup = _markup(reply) if index == len(chunks) - 1 else None
            await retried(partial(bot.send_message, chat, chunk, reply_markup=markup))

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        """The dispatcher's Sender: one reminder, with the channel's errors told apart.

        A raw sendMessage (`Bot.do_api_request`, PTB's public call for any method): the same request
        and the same errors as `Bot.send_message`, but the answer stays a dict, as only its message_id
        is kept. Parsing the whole `Message` (and building the keyboard as PTB objects) had cost a
        fifth of the send, on the dispatcher's one event loop.
        """
        params: dict[str, Any] = {"chat_id": int(message.chat_id), "text": split_text(message.text, TEXT_LIMIT)[0]}
        if message.buttons:
            params["reply_markup"] = _inline_keyboard(message.buttons)
        sent = await _api(lambda: self.application.bot.do_api_request("sendMessage", api_kwargs=params))
        message_id = sent.get("message_id") if isinstance(sent, dict) else None
        return None if message_id is None else str(message_id)

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

    async def start(self, *, poll_timeout: int = 30) -> None:
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
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=poll_timeout, allowed_updates=["message", "callback_query"], error_callback=self._on_polling_error
        )

    async def stop(self) -> None:
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
