"""A status update through the whole bot against a bare echo bot, in the same run, on the same fake server.

Target (issue 4): parse, store and confirm at no less than half the throughput of a bare
python-telegram-bot echo handler. Both bots poll the same fake Bot API server on loopback with the
same concurrency; N users each send one message at once and the clock runs until every answer is in.
The two bots take turns (echo, bot, echo, bot), so a change in the machine's load falls on both, and
the best of each is kept. Also printed: the process's CPU per message in each burst (the fake server
runs in the same process for both), and the load average, which steals CPU from both.

    .venv/bin/python -m bench.updates [--n 400]
"""

from __future__ import annotations

import os

os.environ["PTB_TIMEDELTA"] = "true"

import argparse
import asyncio
import gc
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import App, running
from bot.channels.telegram import TelegramChannel
from bot.settings import SHIPPED_PLAN, load_settings
from scheduler.clock import FakeClock
from storage import people
from storage.models import Official, Role
from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123456:BENCH-updates"
MONDAY = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội: only the 2025 plan is open for a phường
CONCURRENCY = 64
TARGET = 0.5


async def _answered(server: FakeTelegramServer, users: list[int]) -> None:
    """Wait until every user got a message, reading only the server's new records (cheap to poll)."""
    waiting, seen = {str(user) for user in users}, 0
    while waiting:
        records = server.sent[seen:]
        seen += len(records)
        waiting -= {str(record.chat_id) for record in records if record.method == "sendMessage"}
        await asyncio.sleep(0.005)


async def _burst(server: FakeTelegramServer, users: list[int], text: str) -> float:
    """Every user writes at once; seconds until each has an answer."""
    started, cpu = time.perf_counter(), time.process_time()
    for user in users:
        await server.user(user, f"CB {user}").send(text)
    async with asyncio.timeout(300):
        await _answered(server, users)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {len(users) / seconds:7.1f} messages/s, {cpu / len(users) * 1000:.2f} ms of CPU each")
    return seconds


def _settled() -> None:
    """As `nhacviec run` does once its channels run (bot/app.py): what is loaded stays out of the
    collector's full passes. Done for both bots, after each has started."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def echo_rate(n: int) -> float:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    async with FakeTelegramServer(token=TOKEN) as server:
        application = (
            ApplicationBuilder().token(TOKEN).base_url(server.base_url).concurrent_updates(CONCURRENCY).build()
        )
        application.add_handler(MessageHandler(filters.TEXT, echo))
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1)
        _settled()
        try:
            seconds = await _burst(server, list(range(10_000, 10_000 + n)), "đang làm 60%")
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
    return n / seconds


async def _seed(app: App, users: list[int]) -> None:
    """One official per user, spread over the 13 phường/xã, each with only the 2025 plan open."""
    async with app.sessions() as session:
        units = [u for u in await people.units(session) if u.kind in ("phuong", "xa") and u.valid_on(MONDAY.date())]
        for index, user in enumerate(users):
            person, _link = await people.ensure_person(
                session,
                channel="telegram",
                user_id=str(user),
                chat_id=str(user),
                display_name=f"CB {user}",
                username=None,
                now=MONDAY,
            )
            unit = units[index % len(units)]
            session.add(Official(person_id=person.id or 0, unit_id=unit.id or 0, role=Role.OFFICIAL, created_at=MONDAY))
        await session.commit()


async def bot_rate(n: int, database_url: str) -> float:
    settings = load_settings(database_url=database_url, admins="1001", plan=str(SHIPPED_PLAN))
    async with running(settings, clock=FakeClock(MONDAY)) as app, FakeTelegramServer(token=TOKEN) as server:
        users = list(range(20_000, 20_000 + n))
        await _seed(app, users)
        channel = TelegramChannel(app.core, token=TOKEN, base_url=server.base_url)
        await channel.start(poll_timeout=1)
        _settled()
        try:
            seconds = await _burst(server, users, "đang làm 60%")
        finally:
            await channel.stop()
        wrong = [u for u in users if not server.messages_to(u)[0]["text"].startswith("Đã ghi nhận")]
        if wrong:
            raise AssertionError(f"{len(wrong)} answers were not confirmations, e.g. {server.messages_to(wrong[0])}")
    return n / seconds


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


async def main(n: int, runs: int = 2) -> int:
    logging.basicConfig(level=logging.WARNING)
    print(f"load average at the start: {_load()}")
    echoes, bots = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            print("echo:")
            echoes.append(await echo_rate(n))
            print("status update:")
            bots.append(await bot_rate(n, f"sqlite:///{Path(folder) / f'bench-{run}.db'}"))
    baseline, ours = max(echoes), max(bots)
    ratio = ours / baseline
    print(f"updates: {n} users, each one message, {CONCURRENCY} updates at once in both bots")
    print(f"bare python-telegram-bot echo: {baseline:8.1f} messages/s")
    print(f"status update (parse, store, confirm): {ours:8.1f} messages/s")
    print(f"ratio: {ratio:.2f} (target >= {TARGET})")
    print(f"load average at the end: {_load()}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2, help="bursts of each bot, taking turns; the best counts")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.n, arguments.runs)))
