"""Throughput with every limit off: how much does the dispatcher cost over a bare python-telegram-bot loop?

    .venv/bin/python -m bench.throughput              # 2,000 messages per measurement
    .venv/bin/python -m bench.throughput --n 500
    .venv/bin/python -m bench.throughput --profile    # and where the dispatcher's time goes (cProfile)

(a) baseline: `for chat in chats: await bot.send_message(chat, text, reply_markup=keyboard)` with a bare
`telegram.Bot`, sending the same text and four buttons as a reminder;
(b) the real Dispatcher (`App.reminders(channel, limits=Limits.off())`) and the real TelegramChannel,
sending as many seeded reminders. Both against the same fake server, without flood control, in the
same run; each measured twice (alternating), the better of the two kept. Target: dispatcher/baseline
>= 0.8. Exits 1 when it is missed or a measurement lost or duplicated a message.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import gc
import io
import pstats
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import telegram
from sqlalchemy import event, func
from sqlmodel import select

from bench import common
from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.core.reminders import reminder_reply
from scheduler.ratelimit import Limits
from scheduler.sending import ReminderMessage, Sender
from storage import claims, outcomes
from storage.models import Reminder, ReminderStatus

RATIO_TARGET = 0.8
ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 2


@dataclass
class Measurement:
    rate: float  # messages a second, wall clock, from the first send to the last answer
    seconds: float
    delivered: int
    duplicates: int
    lost: int
    detail: str = ""
    cpu: float = 0.0  # CPU seconds of this process (the server runs in its own, unless --in-process)


async def first_message(app: App) -> ReminderMessage:
    """What the dispatcher hands the channel for the first seeded reminder, worded."""
    async with app.sessions() as session:
        first = (await session.exec(select(func.min(Reminder.id)))).one()
        assert first is not None, "nothing seeded"
        row = (await claims.reminder_rows(session, ids=[first]))[0]
    return await app.core.word_reminder(app.reminders(_NoSender()).dispatcher._message([row]))


async def reminder_text(app: App) -> str:
    """The text a seeded reminder gets, so both loops send the same bytes (the baseline without buttons)."""
    return reminder_reply(await first_message(app)).text


class _NoSender:
    async def send_reminder(self, message: object) -> str | None:
        raise AssertionError("not used")


async def check(server: common.BenchServer, chats: list[int], seconds: float) -> Measurement:
    answers = await server.report()
    received = common.messages_by_chat(answers, chats)
    return Measurement(
        rate=len(chats) / seconds,
        seconds=seconds,
        delivered=sum(received.values()),
        duplicates=sum(1 for count in received.values() if count > 1),
        lost=sum(1 for count in received.values() if count == 0),
    )


async def baseline(server: common.BenchServer, n: int, text: str) -> Measurement:
    await server.clear()
    chats = [common.FIRST_CHAT + i for i in range(n)]
    # The same message the dispatcher sends: the reminder's text and its four buttons, so that the
    # ratio measures the dispatcher's own work, not the weight of a keyboard.
    keyboard = telegram.InlineKeyboardMarkup(
        [
            [telegram.InlineKeyboardButton(label, callback_data=f"/baocao {100000 + i} {key}") for label, key in row]
            for i, row in enumerate(
                [
                    [("✅ Đã nộp", "done"), ("⏳ Đang thực hiện", "in_progress")],
                    [("📭 Chưa có số liệu", "no_data"), ("⏰ Nhắc lại sau", "later")],
                ]
            )
        ]
    )
    async with telegram.Bot(common.TOKEN, base_url=server.base_url) as bot:  # initialize: getMe
        gc.collect()
        cpu = time.process_time()
        began = time.perf_counter()
        for chat in chats:
            await bot.send_message(chat, text, reply_markup=keyboard)
        seconds = time.perf_counter() - began
        cpu = time.process_time() - cpu
    measured = await check(server, chats, seconds)
    measured.cpu = cpu
    return measured


class SqlCounter:
    """Statements, commits and connection checkouts the dispatcher makes (SQLAlchemy events), and
    the outcomes it writes below SQLAlchemy (storage/outcomes.py: an UPDATE and its COMMIT each)."""

    def __init__(self, app: App) -> None:
        self.counts: Counter[str] = Counter()
        engine = app.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine.pool, "checkout", self._checkout)

    @contextlib.contextmanager
    def outcome_writes(self) -> Iterator[None]:
        write = outcomes.OutcomeWriter.write

        async def counted(writer: outcomes.OutcomeWriter, results: Sequence[outcomes.Outcome]) -> None:
            self.counts["outcome writes"] += 1
            await write(writer, results)

        outcomes.OutcomeWriter.write = counted  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            outcomes.OutcomeWriter.write = write  # type: ignore[method-assign]

    def _statement(self, _conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        self.counts[statement.split(None, 1)[0].upper()] += 1

    def _commit(self, _conn) -> None:  # type: ignore[no-untyped-def]
        self.counts["COMMIT"] += 1

    def _checkout(self, *_args: object) -> None:
        self.counts["connection checkouts"] += 1

    def per_row(self, n: int) -> str:
        return ", ".join(f"{name} {count / n:.2f}" for name, count in sorted(self.counts.items()))


class _NullSender:
    """Accepts every reminder at once: what is left is the dispatcher's own work (mostly the database)."""

    async def send_reminder(self, message: ReminderMessage) -> str | None:
        return "1"


async def dispatcher_run(
    server: common.BenchServer, n: int, *, profile: cProfile.Profile | None = None, null_sender: bool = False
) -> tuple[Measurement, str]:
    await server.clear()
    async with common.bench_app() as (app, _clock):
        chats = await common.seed_reminders(app, n)
        text = await reminder_text(app)
        channel = TelegramChannel(app.core, token=common.TOKEN, base_url=server.base_url)
        await channel.application.initialize()  # all that sending needs: the bot's getMe
        try:
            sender: Sender = _NullSender() if null_sender else channel
            service = app.reminders(sender, limits=Limits.off())
            sql = SqlCounter(app)
            calls = 0
            gc.collect()
            cpu = time.process_time()
            if profile is not None:
                profile.enable()
            began = time.perf_counter()
            with sql.outcome_writes():
                while True:
                    await service.dispatcher.dispatch_due()
                    calls += 1
                    if (await common.outbox_counts(app))[ReminderStatus.PENDING] == 0 or calls >= 5:
                        break
            seconds = time.perf_counter() - began
            if profile is not None:
                profile.disable()
            cpu = time.process_time() - cpu
        finally:
            await channel.application.shutdown()
        counts = await common.outbox_counts(app)
        if null_sender:
            sent = counts[ReminderStatus.SENT]
            measured = Measurement(n / seconds, seconds, delivered=sent, duplicates=0, lost=n - sent)
        else:
            measured = await check(server, chats, seconds)
        measured.cpu = cpu
        measured.detail = (
            f"outbox {dict(sorted(counts.items()))}, dispatch_due calls {calls}; per reminder: {sql.per_row(n)}"
        )
    return measured, text


async def channel_run(server: common.BenchServer, n: int, *, concurrency: int = 1) -> Measurement:
    """TelegramChannel.send_reminder alone (no database): `concurrency` senders (the dispatcher has one)."""
    await server.clear()
    async with common.bench_app() as (app, _clock):
        await common.seed_reminders(app, 1)
        message = await first_message(app)
        chats = [common.FIRST_CHAT + i for i in range(n)]
        waiting = [dataclasses.replace(message, chat_id=str(chat)) for chat in reversed(chats)]
        channel = TelegramChannel(app.core, token=common.TOKEN, base_url=server.base_url)
        await channel.application.initialize()
        try:

            async def worker() -> None:
                while waiting:
                    await channel.send_reminder(waiting.pop())

            gc.collect()
            cpu = time.process_time()
            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            seconds = time.perf_counter() - began
            cpu = time.process_time() - cpu
        finally:
            await channel.application.shutdown()
    measured = await check(server, chats, seconds)
    measured.cpu = cpu
    return measured


def describe(m: Measurement) -> str:
    cpu = f", {1000 * m.cpu / m.delivered:.2f} ms CPU each" if m.cpu and m.delivered else ""
    return f"{m.rate:.1f} messages/s ({m.delivered} in {m.seconds:.2f} s{cpu})"


def _package(filename: str) -> str:
    """A profile entry's package: site-packages/<name>, our top-level package, or the stdlib module."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename.startswith(str(ROOT)):
        return "nhacviec:" + filename[len(str(ROOT)) + 1 :].split("/", 1)[0]
    if filename.startswith("~"):
        return "(built-ins: sockets, epoll, greenlet...)"
    if "importlib" in filename:
        return "(imports)"
    return "stdlib:" + filename.rsplit("/", 1)[-1].removesuffix(".py")


def print_profile(profiler: cProfile.Profile, n: int) -> None:
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_package: dict[str, float] = {}
    for (filename, _line, _name), entry in raw.items():
        package = _package(filename)
        by_package[package] = by_package.get(package, 0.0) + entry[2]
    print(f"-- cProfile: own time by package ({total:.2f} s in all, {1000 * total / n:.2f} ms a reminder)")
    for package, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:15]:
        print(f"   {package:45s} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    print("-- cProfile: top 20 functions by own time")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()), flush=True)


async def run(n: int, *, profile: bool, in_process: bool) -> int:
    where = "in this process" if in_process else "in a child process"
    report = common.Report(f"throughput: {n} messages per measurement, limits off, server {where}")
    async with common.BenchServer(in_process=in_process) as server:
        await server.rate_limit(None)
        bases: list[Measurement] = []
        runs: list[Measurement] = []
        text = ""
        for round_ in range(1, ROUNDS + 1):
            # The dispatcher first in round 1 gives the baseline the text it sends.
            measured, text = await dispatcher_run(server, n)
            runs.append(measured)
            report.line(f"round {round_} dispatcher", f"{describe(measured)}; {measured.detail}")
            base = await baseline(server, n, text)
            bases.append(base)
            report.line(f"round {round_} baseline", describe(base))
        best_base = max(bases, key=lambda m: m.rate)
        best_run = max(runs, key=lambda m: m.rate)
        report.line("message length, characters", len(text))
        report.line("baseline (bare PTB loop), best", describe(best_base))
        report.line("dispatcher, best", describe(best_run))
        ratio = best_run.rate / best_base.rate
        report.check("dispatcher/baseline", f"{ratio:.2f}", ratio >= RATIO_TARGET, f">= {RATIO_TARGET}")
        every = bases + runs
        wrong = sum(m.duplicates + m.lost for m in every)
        report.check("lost or duplicated messages, all measurements", wrong, wrong == 0, "0")

        if profile:
            print("-- where the time goes: the parts measured apart", flush=True)
            db_only, _ = await dispatcher_run(server, n, null_sender=True)
            report.line("dispatcher with a no-op sender (its own work only)", f"{describe(db_only)}; {db_only.detail}")
            alone = await channel_run(server, n)
            report.line("TelegramChannel.send_reminder alone, 1 at a time (as the dispatcher)", describe(alone))
            profiler = cProfile.Profile()
            measured, _ = await dispatcher_run(server, n, profile=profiler)
            report.line("dispatcher under cProfile (slower for it)", describe(measured))
            print_profile(profiler, n)
        return report.finish()


def main() -> None:
    common.prepare()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=common.positive_int, default=2000, help="messages per measurement (2000)")
    parser.add_argument(
        "--profile", action="store_true", help="then measure the parts apart and profile a dispatcher run (cProfile)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="run the fake server in this process, as the e2e tests do"
    )
    args = parser.parse_args()
    sys.exit(asyncio.run(run(args.n, profile=args.profile, in_process=args.in_process)))


if __name__ == "__main__":
    main()
