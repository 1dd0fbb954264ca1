"""Zalo updates as the core's `Incoming`; a bare number sent back stands for one of the choices offered.

An update is read at the edge, field by field: a body the bot cannot read (a `chat` that is a list, a
`from` that is a string, a text that is a number) is dropped with the reason, never handed on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core import Incoming
from bot.core.ids import choice_number
from bot.core.types import Attachment, Button

CHANNEL = "zalo"
ID_KEPT = 64  # the most characters of an id the database keeps (a chat's, a person's, a message's)


@dataclass(frozen=True)
class ZaloMessage:
    """What the bot reads of a Zalo update, every field of the type it needs."""

    event: str
    message_id: str
    user_id: str
    chat_id: str
    display_name: str
    private: bool
    from_bot: bool
    text: str
    photo_url: str


class Unreadable(ValueError):
    """An update the bot cannot read; its message says which field, never what the person wrote."""


def _id(value: object, where: str) -> str:
    if isinstance(value, str) and 0 < len(value) <= ID_KEPT:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise Unreadable(f"{where} is not an id")


def _text(fields: Mapping[str, Any], name: str, where: str) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unreadable(f"{where}.{name} is not a string")
    return value


def _object(fields: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    value = fields.get(name)
    if not isinstance(value, dict):
        raise Unreadable(f"{where}.{name} is not an object")
    return value


def read_update(update: object) -> ZaloMessage:
    """The fields of a Zalo update the bot uses, checked; `Unreadable` names the first that is not."""
    if not isinstance(update, dict):
        raise Unreadable("the update is not an object")
    message = _object(update, "message", "update")
    sender, chat = _object(message, "from", "message"), _object(message, "chat", "message")
    message_id = message.get("message_id")
    return ZaloMessage(
        event=_text(update, "event_name", "update"),
        message_id="" if message_id is None else _id(message_id, "message.message_id"),
        user_id=_id(sender.get("id"), "message.from.id"),
        chat_id=_id(chat.get("id"), "message.chat.id"),
        display_name=_text(sender, "display_name", "message.from"),
        private=(_text(chat, "chat_type", "message.chat") or "PRIVATE") == "PRIVATE",
        from_bot=sender.get("is_bot") is True,
        text=_text(message, "text", "message") or _text(message, "caption", "message"),
        # the picture's address: `photo_url` in the platform's samples, `photo` in other clients'
        photo_url=_text(message, "photo_url", "message") or _text(message, "photo", "message"),
    )


def to_incoming(message: ZaloMessage, offered: Mapping[str, list[Button]]) -> Incoming | None:
    """The core's view of a Zalo message; `offered` holds the choices last offered in each chat."""
    if message.from_bot:
        return None
    event, text = message.event, message.text
    attachment = None
    if event == "message.image.received" and message.photo_url:
        attachment = Attachment("photo", message.photo_url, "")
    via_button = False
    choices = offered.get(message.chat_id, [])
    number = choice_number(text, len(choices))
    if number is not None:
        text, via_button = choices[number - 1].data, True
    return Incoming(
        channel=CHANNEL,
        user_id=message.user_id,
        chat_id=message.chat_id,
        text=text,
        display_name=message.display_name,
        private=message.private,
        has_media=attachment is None and event not in ("message.text.received", ""),
        attachment=attachment,
        via_button=via_button,
    )
