"""A terminal chat with the same core: no token, no network. You are the office admin, or any official."""

from __future__ import annotations

import asyncio
import codecs
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.core import Core, Incoming, Outcome, Reply
from bot.core.ids import choice_number
from bot.core.types import Button, Capabilities
from messages import demo
from messages.reminders import numbered_choices
from scheduler.clock import FakeClock
from scheduler.runner import ReminderService
from scheduler.sending import ReminderMessage

CHANNEL = "console"
ADMIN_ID = "admin"


class ConsoleChat:
    """Plays one person at a time; `/as <unit>` switches to an official of that unit, `/as` back."""

    def __init__(
        self,
        core: Core,
        *,
        clock: FakeClock | None = None,
        write: Callable[[str], None] = print,
        carries: Capabilities | None = None,
    ) -> None:
        self.core = core
        # `nhacviec demo --zalo`: what a channel without files and buttons carries, so every answer shows in
        # the form it takes there (numbered choices, links to the web page instead of files)
        self.numbered = carries is not None and not carries.files
        if carries is not None:
            core.config.capabilities[CHANNEL] = carries
        self.clock = clock
        self.write = write
        self.user_id = ADMIN_ID
        self.display_name = "Admin"
        self.reminders: ReminderService | None = None
        # Each person's numbered choices, kept until they answer or get new ones: another person's
        # turn, or a reminder for someone else, leaves them be.
        self._choices: dict[str, list[Button]] = {}
        self._renewed: set[str] = set()  # people whose choices this turn has begun to renumber
        self._names = {ADMIN_ID: self.display_name}
        self._files: Path | None = None

    def _folder(self) -> Path:
        """This demo's own folder for the files it hands over (made private, 0700, at the first file):
        two demos never overwrite each other's workbook, nor read it."""
        if self._files is None:
            self._files = Path(tempfile.mkdtemp(prefix="nhacviec-demo-"))
        return self._files

    @property
    def locale(self) -> str:
        return self.core.config.locale

    async def say(self, text: str) -> None:
        """One line typed by the person currently played."""
        text = text.strip()
        self._renewed = set()
        mine = self._choices.get(self.user_id, [])
        number = choice_number(text, len(mine))
        if number is not None:
            text = mine[number - 1].data
        if text == "/as" or text.startswith("/as "):
            await self._switch(text[3:].strip())
            return
        if text in ("/quit", "/exit"):
            raise EOFError
        if text == "/time" or text.startswith("/time "):
            await self._time(text[5:].strip())
            return
        incoming = Incoming(
            channel=CHANNEL, user_id=self.user_id, chat_id=self.user_id, text=text, display_name=self.display_name
        )
        outcome = await self.core.handle(incoming)
        self._choices.pop(self.user_id, None)  # answered: what was offered before is spent
        self._show(outcome)

    def _show(self, outcome: Outcome) -> None:
        for reply in outcome.replies:
            if reply.channel in (None, CHANNEL):
                self._print(reply)

    def _print(self, reply: Reply) -> None:
        attached = reply.document or reply.photo
        if attached is not None:  # the terminal's way to hand over a file: save it
            path = self._folder() / attached.file_name
            path.write_bytes(attached.content)
            self.write(f"{reply.text}\n📎 {path}\n")
            return
        person = reply.chat_id or self.user_id
        prefix = demo.to_other(self._names.get(person, person), self.locale) if person != self.user_id else ""
        self.write(prefix + reply.text)
        if reply.photo_url:
            self.write(f"🖼 {reply.photo_url}")
        if reply.buttons and person not in self._renewed:  # new choices replace the old, numbered from 1
            self._renewed.add(person)
            self._choices[person] = []
        choices = self._choices.get(person, [])
        first = len(choices)
        for row in reply.buttons:
            for button in row:
                choices.append(button)
                if not self.numbered:
                    self.write(f"  [{len(choices)}] {button.label}")
        if self.numbered and len(choices) > first:  # as Zalo shows them: one line to answer with a number
            self.write("\n" + numbered_choices([b.label for b in choices[first:]], self.locale, start=first + 1))
        self.write("")

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        """The demo's Sender: reminders are printed, addressed to the person they are for."""
        buttons = [[Button(label, data) for label, data in row] for row in message.buttons]
        reply = Reply(message.text, buttons, chat_id=message.chat_id)
        self._print(reply)
        return None

    async def _time(self, spec: str) -> None:
        """`/time 2025-01-09 08:00` or `/time +3d` / `+2h`: move the demo's clock, reminders arrive on the way."""
        if not spec:  # `/time` alone: what the clock reads
            self.write(demo.time_now(self.core.clock.now(), self.locale) + "\n")
            return
        if self.clock is None or self.reminders is None:
            self.write(demo.no_time_travel(self.locale) + "\n")
            return
        target = parse_time(spec, self.clock.now(), self.core.config.tz)
        if target is None:
            self.write(demo.time_usage(self.locale) + "\n")
            return
        if target < self.clock.now():  # reminders already sent cannot be unsent: time only moves on
            self.write(demo.time_backwards(self.clock.now(), self.locale) + "\n")
            return
        # Wake up every hour of the day on the way, as the service would, so each step arrives in turn.
        moment = self.clock.now()
        while moment < target:
            moment = min(moment + timedelta(hours=1), target)
            self.clock.set(moment)
            if 7 <= moment.astimezone(self.core.config.tz).hour <= 20 or moment == target:
                await self.reminders.tick()
        self.write(demo.time_now(self.clock.now(), self.locale) + "\n")

    async def _switch(self, query: str) -> None:
        if not query or query.lower() == "admin":
            self.user_id, self.display_name = ADMIN_ID, "Admin"
            self.write(demo.playing_admin(self.locale) + "\n")
            return
        unit = await self.core.unit_named(query)
        if unit is None:
            self.write(demo.no_unit(query, self.locale) + "\n")
            return
        self.user_id, self.display_name = f"as-{unit.key}", unit.short_name
        self._names[self.user_id] = unit.short_name
        self.write(demo.playing_official(unit.name, self.locale) + "\n")

    def prompt(self) -> str:
        return f"{self.display_name}> "

    async def run(self, stream: TextIO = sys.stdin) -> None:
        """Read lines until end of input or /quit."""
        self.write(demo.intro(self.locale))
        lines = LineReader(stream)
        while True:
            if stream.isatty():
                sys.stdout.write(self.prompt())
                sys.stdout.flush()
            line = await lines.readline()
            if not line:
                return
            if not stream.isatty():
                self.write(self.prompt() + line.rstrip("\n"))
            if line.strip():
                try:
                    await self.say(line)
                except EOFError:
                    return


class LineReader:
    """Lines typed into the demo, read by the event loop itself where it can watch the stream.

    A thread blocked in `readline` kept Ctrl-C waiting for Enter: asyncio.run joins its executor's
    threads before it ends. A terminal or a pipe is watched by the loop instead (nothing is left
    waiting), a file or an in-memory stream never blocks, and only where the loop cannot watch
    (Windows) a thread still reads.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._fd = _watchable(stream)
        self._decoder = codecs.getincrementaldecoder(getattr(stream, "encoding", None) or "utf-8")("replace")
        self._buffer = ""
        self._ended = False

    async def readline(self) -> str:
        """The next line with its newline, or "" at the end of input."""
        if self._fd is None:
            return self.stream.readline()
        while "\n" not in self._buffer and not self._ended:
            chunk = await self._chunk(self._fd)
            self._buffer += self._decoder.decode(chunk, final=not chunk)
            self._ended = not chunk
        line, newline, self._buffer = self._buffer.partition("\n")
        return line + newline

    async def _chunk(self, fd: int) -> bytes:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        try:
            loop.add_reader(fd, wake)
        except (NotImplementedError, PermissionError):  # Windows' loop; a descriptor epoll refuses
            return await loop.run_in_executor(None, os.read, fd, 65536)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return os.read(fd, 65536)


def _watchable(stream: TextIO) -> int | None:
    """The descriptor to watch for input, or None for a file or a stream that has none (they never block)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return None
    return None if stat.S_ISREG(os.fstat(fd).st_mode) else fd


_RELATIVE = re.compile(r"^\+(\d{1,3})\s*([dh])$")


def parse_time(spec: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """'+3d', '+2h', '2025-01-09 08:00' (Hà Nội time) or an ISO moment; None when it is none of these."""
    spec = spec.strip().lower()
    relative = _RELATIVE.match(spec)
    if relative:
        amount = int(relative.group(1))
        return now + (timedelta(days=amount) if relative.group(2) == "d" else timedelta(hours=amount))
    try:
        moment = datetime.fromisoformat(spec.replace(" ", "T", 1)) if spec else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
