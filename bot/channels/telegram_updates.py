"""Telegram updates as the core's `Incoming`: a message, or a button tap standing for a command."""

from __future__ import annotations

from telegram import Message, Update

from bot.core import Incoming
from bot.core.types import Attachment

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
