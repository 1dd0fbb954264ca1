"""The channels people reach the bot through: Telegram, the terminal (and Zalo to come)."""


class ChannelStartError(Exception):
    """A channel that cannot start, with a sentence saying what to fix."""
