"""Fan-out under Telegram's flood control: N reminders to N chats, through the real dispatcher and the real
TelegramChannel, against the fake Bot API enforcing 30 messages a second.

    .venv/bin/python -m bench.fanout            # 3,000 reminders, about 100 s
    .venv/bin/python -m bench.fanout --n 300    # a quick run

Targets: achieved rate >= 95% of the server's limit, no row left pending or undeliverable, no chat
receiving a message twice, no chat receiving none. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
from datetime import timedelta

from bench import common
from bot.channels.telegram import TelegramChannel
from scheduler.dispatcher import DispatchStats
from scheduler.ratelimit import Limits
from storage.models import ReminderStatus

SERVER_LIMIT = 30  # messages a second, as Telegram documents for bulk notifications
RATE_TARGET = 0.95
CLOCK_STEP = timedelta(seconds=5)  # how far the fake clock moves while rows wait for a retry


async def run(n: int, bound: float, *, in_process: bool = False, gc_freeze: bool = True) -> int:
    where = "in this process" if in_process else "in a child process"
    where += ", gc.freeze() once started, as `nhacviec run` does" if gc_freeze else ", no gc.freeze()"
    report = common.Report(f"fanout: {n} reminders to {n} chats, server limit {SERVER_LIMIT}/s, server {where}")
    async with common.BenchServer(in_process=in_process) as server, common.bench_app() as (app, clock):
        chats = await common.seed_reminders(app, n)
        channel = TelegramChannel(app.core, token=common.TOKEN, base_url=server.base_url)
        await channel.start(poll_timeout=1)  # initialize (getMe), the command menus, then polling
        if gc_freeze:  # as bot.app.serve does once started: long-lived objects stay out of full collections
            gc.collect()
            gc.freeze()
        try:
            await server.rate_limit(SERVER_LIMIT)
            service = app.reminders(channel, limits=Limits())
            totals = DispatchStats()
            calls = clock_moves = 0
            began = time.monotonic()
            timed_out = False
            while True:
                stats = await service.dispatcher.dispatch_due()
                calls += 1
                totals.sent += stats.sent
                totals.retried += stats.retried
                totals.undeliverable += stats.undeliverable
                totals.cancelled += stats.cancelled
                totals.errors += stats.errors
                if (await common.outbox_counts(app))[ReminderStatus.PENDING] == 0:
                    break
                if time.monotonic() - began > bound:
                    timed_out = True
                    break
                # What is left waits for a retry at a later (fake) moment: let that moment come.
                clock.advance(CLOCK_STEP)
                clock_moves += 1
                await asyncio.sleep(0.01)
            elapsed = time.monotonic() - began
        finally:
            await channel.stop()

        counts = await common.outbox_counts(app)
        answers = await server.report()
        received = common.messages_by_chat(answers, chats)
        times = common.accepted_times(answers, chats)
        rate = common.rate_between(times)
        delivered = sum(received.values())
        duplicates = sum(1 for count in received.values() if count > 1)
        lost = sum(1 for count in received.values() if count == 0)
        left = counts[ReminderStatus.PENDING] + counts[ReminderStatus.UNDELIVERABLE]

        report.line("messages delivered", delivered)
        report.line("outbox rows", dict(sorted(counts.items())))
        report.line("dispatch_due calls", calls)
        report.line("fake clock moves", f"{clock_moves} x {CLOCK_STEP.total_seconds():g}s")
        report.line(
            "dispatcher stats",
            f"sent={totals.sent} retried={totals.retried} "
            f"undeliverable={totals.undeliverable} cancelled={totals.cancelled}",
        )
        report.line("elapsed wall seconds", f"{elapsed:.1f}" + (" (stopped at the time bound)" if timed_out else ""))
        report.line("first to last accepted message, s", f"{times[-1] - times[0]:.1f}" if len(times) > 1 else "-")
        report.line("achieved rate, messages/s", f"{rate:.2f}")
        report.check(
            "achieved/limit", f"{rate / SERVER_LIMIT:.3f}", rate / SERVER_LIMIT >= RATE_TARGET, f">= {RATE_TARGET}"
        )
        report.line("429 answers from the server", answers.stats.rate_limited)
        report.line("server requests", answers.stats.requests)
        report.check("rows left pending or undeliverable", left, left == 0, "0")
        report.check("duplicates (chats with more than one message)", duplicates, duplicates == 0, "0")
        report.check("lost (chats with no message)", lost, lost == 0, "0")
        if totals.errors:
            report.line("first errors", sorted(set(totals.errors))[:5])
        return report.finish()


def main() -> None:
    common.prepare()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=common.positive_int, default=3000, help="reminders, one per chat (3000)")
    parser.add_argument(
        "--bound", type=float, default=None, help="stop after this many wall seconds (default: twice the ideal + 60)"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="run the fake server in this process, as the e2e tests do"
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="skip the gc.freeze() that `nhacviec run` does once started (to see what it is worth)",
    )
    args = parser.parse_args()
    bound = args.bound if args.bound is not None else 2 * args.n / SERVER_LIMIT + 60
    sys.exit(asyncio.run(run(args.n, bound, in_process=args.in_process, gc_freeze=not args.no_gc_freeze)))


if __name__ == "__main__":
    main()
