"""Fan-out under Telegram's flood control: N reminders to N chats, through the real dispatcher and the real
TelegramChannel, against the fake Bot API enforcing 30 messages a second.

    .venv/bin/python -m bench.fanout            # 3,000 reminders, then 3,000 with 10% of sends hung: about 4 minutes
    .venv/bin/python -m bench.fanout --n 300    # a quick run of both
    .venv/bin/python -m bench.fanout --hang 0   # the first run only

Targets: achieved rate >= 95% of the server's limit, no row left pending or undeliverable, no chat
receiving a message twice, no chat receiving none. In the second run the server never answers one
send in ten (nor delivers it): the first pass, every reminder tried once, keeps >= 80% of the limit
(the hung ones end at their timeout and go in a later pass, once). Exits 1 when a target is missed.
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
HUNG_RATE_TARGET = 0.8  # the first pass's rate with 10% of the sends never answered
CLOCK_STEP = timedelta(seconds=5)  # how far the fake clock moves while rows wait for a retry


async def run(n: int, bound: float, *, in_process: bool = False, gc_freeze: bool = True, hang: float = 0.0) -> int:
    where = "in this process" if in_process else "in a child process"
    where += ", gc.freeze() once started, as `nhacviec run` does" if gc_freeze else ", no gc.freeze()"
    hung = f", {hang:.0%} of sends never answered" if hang else ""
    report = common.Report(f"fanout: {n} reminders to {n} chats, server limit {SERVER_LIMIT}/s, server {where}{hung}")
    async with common.BenchServer(in_process=in_process) as server, common.bench_app() as (app, clock):
        chats = await common.seed_reminders(app, n)
        channel = TelegramChannel(app.core, token=common.TOKEN, base_url=server.base_url)
        await channel.start(poll_timeout=1)  # initialize (getMe), the command menus, then polling
        if gc_freeze:  # as bot.app.serve does once started: long-lived objects stay out of full collections
            gc.collect()
            gc.freeze()
        try:
            await server.rate_limit(SERVER_LIMIT)
            await server.hang(hang)
            service = app.reminders(channel, limits=Limits())
            totals = DispatchStats()
            calls = clock_moves = 0
            began = time.monotonic()
            timed_out = False
            first_pass = 0  # messages accepted in the first pass: every reminder tried once
            while True:
                stats = await service.dispatcher.dispatch_due()
                calls += 1
                if calls == 1:
                    first_pass = sum(common.messages_by_chat(await server.report(), chats).values())
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
        if hang:
            report.line("sends never answered (ended by the send timeout, tried again)", answers.stats.hung)
            first = common.rate_between(times[:first_pass])
            report.line("first pass: messages accepted", first_pass)
            span = times[first_pass - 1] - times[0] if first_pass > 1 else 0.0
            report.line("first pass: first to last accepted, s", f"{span:.1f}")
            report.line("first pass: achieved rate, messages/s", f"{first:.2f}")
            ratio = first / SERVER_LIMIT
            report.check(
                "first pass: achieved/limit", f"{ratio:.3f}", ratio >= HUNG_RATE_TARGET, f">= {HUNG_RATE_TARGET}"
            )
        else:
            ratio = rate / SERVER_LIMIT
            report.check("achieved/limit", f"{ratio:.3f}", ratio >= RATE_TARGET, f">= {RATE_TARGET}")
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
    parser.add_argument(
        "--hang", type=float, default=0.1, help="then a run with this share of sends never answered (0.1; 0: none)"
    )
    args = parser.parse_args()
    bound = args.bound if args.bound is not None else 2 * args.n / SERVER_LIMIT + 60
    code = 0
    for hang in (0.0, args.hang) if args.hang else (0.0,):
        done = asyncio.run(run(args.n, bound, in_process=args.in_process, gc_freeze=not args.no_gc_freeze, hang=hang))
        code = max(code, done)
    sys.exit(code)


if __name__ == "__main__":
    main()
