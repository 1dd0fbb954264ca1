"""Telegram updates as the core's `Incoming`: a message, or a button tap standing for a command.

python-telegram-bot builds its objects without checking types: a text that is a number or a name that is
a list is dropped here, logged once with the field at fault, never handed to the core."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.core import Incoming
from bot.core.types import Attachment

log = logging.getLogger(__name__)
CHANNEL = "telegram"


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
    strings = {"text": text, "from.first_name": user.first_name, "from.last_name": user.last_name or ""}
    strings["from.username"] = user.username or ""
    if attachment is not None:
        strings.update(file_id=attachment.file_id, file_name=attachment.file_name, mime_type=attachment.mime_type)
    wrong = [name for name, value in strings.items() if not isinstance(value, str)]
    if wrong or not isinstance(user.id, int) or not isinstance(chat.id, int):
        log.warning("dropped a Telegram update that cannot be read: %s", ", ".join(wrong) or "an id")
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
        document = message.document
        return Attachment("document", document.file_id, document.file_name or "", document.mime_type or "")
    if message.photo:
        return Attachment("photo", message.photo[-1].file_id, "")  # the largest size
    return None
