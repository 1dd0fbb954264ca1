"""Replies and reminders as Bot API calls: text in chunks, buttons as inline keyboards, files."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import TelegramError
from telegram.warnings import PTBUserWarning

from bot.channels.telegram_errors import api
from bot.core import Reply
from messages.text import shorten, split_text
from scheduler.sending import ReminderMessage

log = logging.getLogger("bot.channels.telegram")  # the channel's, as before this module was split off
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's or document's caption, after entities parsing (Bot API sendDocument)
CALLBACK_LIMIT = 64
# `send_reminder` calls sendMessage (or sendDocument, sendPhoto) through `Bot.do_api_request` on purpose
# (see there); PTB suggests `Bot.send_message` whenever it sees a method it knows. pyproject.toml says the
# same to pytest.
warnings.filterwarnings("ignore", r"Please use 'Bot\.send(Message|Document|Photo)'", PTBUserWarning)


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


def _inline_keyboard(buttons: Sequence[Sequence[tuple[str, str]]]) -> dict[str, Any]:
    """The Bot API's InlineKeyboardMarkup object for (label, data) rows, without building PTB objects."""
    rows = _fitting(buttons)
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row] for row in rows]}


async def send_reply(
    bot: Bot, chat_id: str, reply: Reply, retried: Callable[[Callable[[], Awaitable[object]]], Awaitable[None]]
) -> None:
    """One reply to one chat: a document or a photo with its caption, or the text in chunks, the
    buttons under the last; each call goes through `retried`."""
    chat = int(chat_id)
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


async def send_reminder(bot: Bot, message: ReminderMessage) -> str | None:
    """One reminder, with the channel's errors told apart; the message id Telegram gave it.

    A raw sendMessage (`Bot.do_api_request`, PTB's public call for any method): the same request
    and the same errors as `Bot.send_message`, but the answer stays a dict, as only its message_id
    is kept. Parsing the whole `Message` (and building the keyboard as PTB objects) had cost a
    fifth of the send, on the dispatcher's one event loop.
    """
    method, params = _reminder_request(message)
    sent = await api(lambda: bot.do_api_request(method, api_kwargs=params))
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    return None if message_id is None else str(message_id)


def _reminder_request(message: ReminderMessage) -> tuple[str, dict[str, Any]]:
    """sendMessage, or sendDocument/sendPhoto with the words as the caption when the message carries a
    task's incoming document (by the file id Telegram gave it) and the words fit a caption."""
    params: dict[str, Any] = {"chat_id": int(message.chat_id)}
    if message.buttons:
        params["reply_markup"] = _inline_keyboard(message.buttons)
    if message.attachment is not None and len(message.text) <= CAPTION_LIMIT:
        kind, file_id = message.attachment
        return ("sendPhoto" if kind == "photo" else "sendDocument"), params | {kind: file_id, "caption": message.text}
    return "sendMessage", params | {"text": split_text(message.text, TEXT_LIMIT)[0]}


async def mark_tapped(message: Message, note: str) -> None:
    """Show on the tapped message what was recorded and by whom, and take its buttons away."""
    try:
        if message.text is None and message.caption is not None:  # a task's document, its words the caption
            caption = split_text(f"{message.caption}\n\n{note}", CAPTION_LIMIT)[-1]
            await message.edit_caption(caption, reply_markup=None)
        else:
            text = split_text(f"{message.text or ''}\n\n{note}", TEXT_LIMIT)[-1]
            await message.edit_text(text, reply_markup=None)
    except TelegramError as exc:  # too old to edit, or already edited by a second tap
        log.info("could not edit message %s: %s", message.message_id, exc)
