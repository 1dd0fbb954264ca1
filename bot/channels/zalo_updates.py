"""Zalo updates as the core's `Incoming`; a bare number sent back stands for one of the choices offered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core import Incoming
from bot.core.ids import choice_number
from bot.core.types import Attachment, Button

CHANNEL = "zalo"


def to_incoming(update: dict[str, Any], offered: Mapping[str, list[Button]]) -> Incoming | None:
    """The core's view of a Zalo update; `offered` holds the choices last offered in each chat."""
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
    # The picture's address: `photo_url` in the platform's samples, `photo` in other clients' (OpenClaw's)
    photo = message.get("photo_url") or message.get("photo")
    if event == "message.image.received" and isinstance(photo, str) and photo:
        attachment = Attachment("photo", photo, "")
    via_button = False
    choices = offered.get(chat_id, [])
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
