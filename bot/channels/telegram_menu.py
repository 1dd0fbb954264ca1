"""The Telegram command menus: everyone's in both languages, the office's in each admin's chat."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from messages import common
from storage.models import Role

log = logging.getLogger("bot.channels.telegram")  # the channel's, as before this module was split off


class CommandMenus:
    """Sets the menus; the office's once per chat for the life of the process."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._office: set[str] = set()

    async def set_everyones(self) -> None:
        """The default menu: Vietnamese, and English for those whose Telegram speaks it."""
        for locale, language in (("vi", None), ("en", "en")):
            commands = [BotCommand(name, text) for name, text in common.menu(None, locale)]
            await self.bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=language)

    async def set_office(self, chat_id: str, locale: str) -> None:
        """The office's menu in its chat, unless it is set already."""
        if chat_id in self._office:
            return
        commands = [BotCommand(name, text) for name, text in common.menu(Role.OFFICE, locale)]
        try:
            await self.bot.set_my_commands(commands, scope=BotCommandScopeChat(int(chat_id)))
            self._office.add(chat_id)
        except TelegramError as exc:  # the admin has not opened a chat with the bot yet
            log.info("office menu not set for chat %s: %s", chat_id, exc)
