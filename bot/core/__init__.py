"""The channel-agnostic core: commands, conversations, permissions."""

from bot.core.commands import COMMANDS
from bot.core.context import CoreConfig
from bot.core.core import Core
from bot.core.types import Button, Incoming, Outcome, Reply

__all__ = ["COMMANDS", "Button", "Core", "CoreConfig", "Incoming", "Outcome", "Reply"]
