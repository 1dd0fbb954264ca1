"""The channel-agnostic core: commands, conversations, permissions."""

from bot.core.context import CoreConfig
from bot.core.core import COMMANDS, Core
from bot.core.types import Button, Incoming, Outcome, Reply

__all__ = ["COMMANDS", "Button", "Core", "CoreConfig", "Incoming", "Outcome", "Reply"]
