"""A terminal chat with the same core: no token, no network. You are the office admin, or any official."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core import Core, Incoming, Outcome
from bot.core.names import match_units
from bot.core.types import Button
from messages import demo
from storage import repo

CHANNEL = "console"
ADMIN_ID = "admin"


class ConsoleChat:
    """Plays one person at a time; `/as <unit>` switches to an official of that unit, `/as` back."""

    def __init__(self, core: Core, *, write: Callable[[str], None] = print) -> None:
        self.core = core
        self.write = write
        self.user_id = ADMIN_ID
        self.display_name = "Admin"
        self._choices: list[Button] = []

    @property
    def locale(self) -> str:
        return self.core.config.locale

    async def say(self, text: str) -> None:
        """One line typed by the person currently played."""
        text = text.strip()
        if text.isdigit() and self._choices and 1 <= int(text) <= len(self._choices):
            text = self._choices[int(text) - 1].data
        if text == "/as" or text.startswith("/as "):
            await self._switch(text[3:].strip())
            return
        if text in ("/quit", "/exit"):
            raise EOFError
        incoming = Incoming(
            channel=CHANNEL, user_id=self.user_id, chat_id=self.user_id, text=text, display_name=self.display_name
        )
        self._show(await self.core.handle(incoming))

    def _show(self, outcome: Outcome) -> None:
        self._choices = []
        for reply in outcome.replies:
            if reply.channel not in (None, CHANNEL):
                continue
            target = reply.chat_id
            prefix = demo.to_other(target, self.locale) if target and target != self.user_id else ""
            self.write(prefix + reply.text)
            for row in reply.buttons:
                for button in row:
                    self._choices.append(button)
                    self.write(f"  [{len(self._choices)}] {button.label}")
        self.write("")

    async def _switch(self, query: str) -> None:
        if not query or query.lower() == "admin":
            self.user_id, self.display_name = ADMIN_ID, "Admin"
            self.write(demo.playing_admin(self.locale) + "\n")
            return
        async with self.core.sessions() as session:
            units = await repo.units(session)
        today = self.core.clock.now().astimezone(self.core.config.tz).date()
        unit = match_units(query, units, today=today).unique
        if unit is None:
            self.write(demo.no_unit(query, self.locale) + "\n")
            return
        self.user_id, self.display_name = f"as-{unit.key}", unit.short_name
        self.write(demo.playing_official(unit.name, self.locale) + "\n")

    def prompt(self) -> str:
        return f"{self.display_name}> "

    async def run(self, stream: TextIO = sys.stdin) -> None:
        """Read lines until end of input or /quit."""
        self.write(demo.intro(self.locale))
        loop = asyncio.get_running_loop()
        while True:
            if stream.isatty():
                sys.stdout.write(self.prompt())
                sys.stdout.flush()
            line = await loop.run_in_executor(None, stream.readline)
            if not line:
                return
            if not stream.isatty():
                self.write(self.prompt() + line.rstrip("\n"))
            if line.strip():
                try:
                    await self.say(line)
                except EOFError:
                    return
