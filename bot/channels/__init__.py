"""The channels people reach the bot through: Telegram, Zalo, the terminal."""

import logging
from dataclasses import replace
from typing import Any, Protocol

from bot.core.types import Outcome, Reply
from scheduler.sending import ReminderMessage, Sender, Transient

log = logging.getLogger(__name__)


class ChannelStartError(Exception):
    """A channel that cannot start, with a sentence saying what to fix."""


class RoutingSender:
    """The dispatcher's Sender for several channels: each reminder goes out on its account's channel."""

    def __init__(self, senders: dict[str, Sender]) -> None:
        self.senders = senders

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        sender = self.senders.get(message.channel)
        if sender is None:
            raise Transient(f"the {message.channel} channel is not running")
        return await sender.send_reminder(message)


class Deliverer(Protocol):
    async def deliver(self, chat_id: str, outcome: Outcome) -> None: ...


class OtherChannels:
    """The other running channels, for answers addressed to a person on another one.

    An answer may go to someone on another channel than the message came from: the office on
    Telegram marks a Zalo official's file received, or records an update for their unit.
    """

    def __init__(self) -> None:
        self.channels: dict[str, Deliverer] = {}

    async def deliver(self, reply: Reply) -> None:
        channel = self.channels.get(reply.channel or "")
        if channel is None or reply.chat_id is None:
            log.warning("not sent to %s chat %s: that channel is not running", reply.channel, reply.chat_id)
            return
        await channel.deliver(reply.chat_id, Outcome([replace(reply, channel=None)]))


def connect(channels: dict[str, Any]) -> None:
    """Let each running channel hand answers for another channel to that one."""
    for name, channel in channels.items():
        channel.others.channels = {other: ch for other, ch in channels.items() if other != name}
