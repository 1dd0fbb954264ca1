"""The channels people reach the bot through: Telegram, Zalo, the terminal."""

from scheduler.sending import ReminderMessage, Sender, Transient


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
