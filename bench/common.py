"""What both benchmarks share: the environment, a migrated app on a temporary SQLite file, the fake
Bot API server, bulk seeding of the outbox, and reading back what happened.

Seeding writes people, their Telegram accounts, their official roles and the outbox rows directly
(bulk inserts), not through the registration conversation: it is the fastest honest way to get N
due reminders to N different chats, and the dispatcher sees exactly the rows the planner would write.
"""

from __future__ import annotations

import os

os.environ["PTB_TIMEDELTA"] = "true"  # PTB 22 warns when it builds RetryAfter without it (read at use)

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import ipaddress
import logging
import multiprocessing
import socket
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from bot.app import App, running
from bot.settings import SHIPPED_PLAN, load_settings
from scheduler.clock import FakeClock
from storage.models import Reminder, ReminderStatus
from tests.fakes.outbox_rows import DUTY_KEY, FIRST_CHAT, seed_reminders  # noqa: F401  # the benchmarks' seeding
from tests.fakes.telegram_api import FakeTelegramServer, ServerStats

TOKEN = "123456:BENCH-token-value"
BOT_USERNAME = "nhacviec_bench_bot"
ADMIN_ID = "1001"
# 08:00 on Monday 6 January 2025 in Hà Nội: a working day, outside quiet hours, four days before
# the deadline of "ke-hoach-2025" (before 10/01/2025).
START = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)


def prepare() -> None:
    """Call first thing in a benchmark: environment, quiet logs, and no network beyond loopback."""
    os.environ["PTB_TIMEDELTA"] = "true"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The dispatcher logs each rate-limited or failed send; the summary counts them instead.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _loopback_only()


def _loopback_only() -> None:
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None:
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise OSError(f"benchmark tried to reach the network: {address!r}")
        return real_connect(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign,assignment]


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# --------------------------------------------------------------------------------------------- app and server
@asynccontextmanager
async def bench_app(
    directory: Path | None = None, *, database_url: str | None = None
) -> AsyncIterator[tuple[App, FakeClock]]:
    """A migrated app with the shipped plan loaded, on a fresh SQLite file (or `database_url`), and its
    fake clock."""
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-") as tmp:
        path = Path(directory or tmp) / "bench.db"
        settings = load_settings(
            database_url=database_url or f"sqlite:///{path}", admins=ADMIN_ID, plan=str(SHIPPED_PLAN)
        )
        clock = FakeClock(START)
        async with running(settings, clock=clock) as app:
            yield app, clock


@dataclass(frozen=True)
class Sent:
    method: str
    chat_id: int | None
    at: float  # the server's time.monotonic() (one clock for every process on Linux)
    host: str = ""  # the Host header of the call: which instance sent it (each names the server its own way)


@dataclass(frozen=True)
class ServerReport:
    stats: ServerStats
    sent: list[Sent]


class BenchServer:
    """The fake Bot API as the benchmarks use it: a base URL, flood control, and a report afterwards.

    By default it runs in a child process, with its own interpreter and event loop, as the real
    server is somewhere else: in-process, its ever-growing record of every message (deep copies)
    makes the bot's process pay for the server's garbage collections and CPU. `in_process=True`
    keeps it in this process, as the e2e tests do.
    """

    def __init__(self, *, in_process: bool = False) -> None:
        self.in_process = in_process
        self.base_url = ""
        self._local: FakeTelegramServer | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    async def __aenter__(self) -> BenchServer:
        if self.in_process:
            self._local = await FakeTelegramServer(token=TOKEN, bot_username=BOT_USERNAME).start()
            self._local.strict_chats = False
            self.base_url = self._local.base_url
            return self
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), name="fake-bot-api", daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        self.base_url = await self._ask("base_url")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._local is not None:
            await self._local.stop()
        if self._process is not None and self._conn is not None:
            with contextlib.suppress(OSError, EOFError):
                await self._ask("stop")
            await asyncio.to_thread(self._process.join, 10)
            if self._process.is_alive():
                self._process.kill()
            self._conn.close()

    async def _ask(self, command: str, *args: Any) -> Any:
        assert self._conn is not None
        conn = self._conn

        def exchange() -> Any:
            conn.send((command, args))
            if not conn.poll(30):
                raise RuntimeError(f"the fake server process did not answer {command!r}")
            return conn.recv()

        return await asyncio.to_thread(exchange)

    async def rate_limit(self, per_second: int | None) -> None:
        if self._local is not None:
            self._local.rate_limit(per_second=per_second)
        else:
            await self._ask("rate_limit", per_second)

    async def hang(self, ratio: float) -> None:
        """Never answer this share of sendMessage calls (nor deliver them): a path that drops packets."""
        if self._local is not None:
            self._local.hang_ratio = ratio
        else:
            await self._ask("hang", ratio)

    async def report(self) -> ServerReport:
        if self._local is not None:
            return _report_of(self._local)
        report: ServerReport = await self._ask("report")
        return report

    async def clear(self) -> None:
        """Forget what was sent (and the stats), so the next measurement starts from nothing."""
        if self._local is not None:
            _clear(self._local)
        else:
            await self._ask("clear")


def _report_of(server: FakeTelegramServer) -> ServerReport:
    sent = [Sent(r.method, r.chat_id, r.at, r.host) for r in server.sent]
    return ServerReport(dataclasses.replace(server.stats), sent)


def _clear(server: FakeTelegramServer) -> None:
    server.sent.clear()
    server.calls.clear()
    server.world.chats.clear()
    server.stats = ServerStats()


def _serve(conn: Connection) -> None:
    """The child process: the fake server on 127.0.0.1, driven by commands on the pipe.

    The cyclic garbage collector is off here: the fake keeps a deep copy of every message, and its
    full collections (70-110 ms once it holds a few thousand) would delay answers and bunch arrivals,
    a jitter the real server does not add. The bot's process is left as it is.
    """
    gc.disable()
    asyncio.run(_serve_async(conn))


async def _serve_async(conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    async with FakeTelegramServer(token=TOKEN, bot_username=BOT_USERNAME) as server:
        server.strict_chats = False

        def on_command() -> None:
            try:
                command, args = conn.recv()
            except (EOFError, OSError):  # the benchmark went away
                done.set()
                return
            if command == "base_url":
                conn.send(server.base_url)
            elif command == "rate_limit":
                server.rate_limit(per_second=args[0])
                conn.send(None)
            elif command == "hang":
                server.hang_ratio = args[0]
                conn.send(None)
            elif command == "report":
                conn.send(_report_of(server))
            elif command == "clear":
                _clear(server)
                conn.send(None)
            elif command == "stop":
                conn.send(None)
                done.set()

        loop.add_reader(conn.fileno(), on_command)
        await done.wait()
        loop.remove_reader(conn.fileno())


# ---------------------------------------------------------------------------------------------- reading back
async def outbox_counts(app: App) -> Counter[str]:
    """Outbox rows by status."""
    async with app.sessions() as session:
        rows = (await session.exec(select(Reminder.status, func.count()).group_by(col(Reminder.status)))).all()
    return Counter({status: count for status, count in rows})


async def earliest_retry(app: App) -> datetime | None:
    async with app.sessions() as session:
        query = select(func.min(Reminder.next_attempt_at)).where(Reminder.status == ReminderStatus.PENDING)
        value = (await session.exec(query)).one()
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def messages_by_chat(report: ServerReport, chats: Iterable[int]) -> Counter[int]:
    """How many messages each of these chats received (every chat present, possibly with 0)."""
    wanted = set(chats)
    counts: Counter[int] = Counter({chat: 0 for chat in wanted})
    for record in report.sent:
        if record.method == "sendMessage" and record.chat_id in wanted:
            counts[record.chat_id] += 1
    return counts


def accepted_times(report: ServerReport, chats: Iterable[int]) -> list[float]:
    wanted = set(chats)
    return sorted(r.at for r in report.sent if r.method == "sendMessage" and r.chat_id in wanted)


def rate_between(times: Sequence[float]) -> float:
    """Messages per second from the first accepted message to the last (n-1 intervals)."""
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


# ---------------------------------------------------------------------------------------------------- reporting
@dataclass
class Report:
    """Plain `name: value` lines; `check` adds the target and remembers misses for the exit code."""

    title: str
    missed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        print(f"== {self.title}", flush=True)
        self.line("machine", f"{os.cpu_count()} CPUs, load average {_load()} at the start")

    def line(self, name: str, value: object) -> None:
        print(f"{name}: {value}", flush=True)

    def check(self, name: str, value: object, ok: bool, target: str) -> None:
        verdict = "ok" if ok else "MISSED"
        print(f"{name}: {value}  (target {target}: {verdict})", flush=True)
        if not ok:
            self.missed.append(name)

    def finish(self) -> int:
        # Other work on the machine (a test run...) steals CPU and bunches sends: read the numbers with it.
        self.line("load average at the end", _load())
        if self.missed:
            print(f"result: FAIL ({', '.join(self.missed)})", flush=True)
            return 1
        print("result: PASS", flush=True)
        return 0


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"
