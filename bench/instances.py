"""The 3,000-reminder fan-out split over two `nhacviec run` processes on one PostgreSQL, against the
fake Bot API (in a child process) enforcing Telegram's 30 messages a second for the bot.

    .venv/bin/python -m bench.instances            # one instance (the baseline), then two: about 4 minutes
    .venv/bin/python -m bench.instances --n 600    # a quick run

Each run starts from an empty database (`nhacviec_bench_instances`, created if missing), the shipped
plan loaded and N reminders due (bench/common.py's seeding) at 08:00 on Monday 6 January 2025, then
starts the instances as `nhacviec run` starts (tests/e2e/serve_process.py, each naming the server its
own way, so its records tell who sent what), waits until every chat has its message, and stops them
with SIGTERM. The baseline is one instance, in the same run against the same server.

Targets, for the two instances: achieved rate >= 95% of the server's limit, none lost, none doubled.
Exits 1 when a target is missed, 2 when PostgreSQL does not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import common
from tests.e2e.instances import HOSTS, Instance

SERVER_LIMIT = 30
RATE_TARGET = 0.95
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = os.environ.get("NHACVIEC_BENCH_DATABASE", "nhacviec_bench_instances")  # emptied by each run
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"


async def reset_postgres() -> str | None:
    """Create the database if missing and empty its public schema; the reason when PostgreSQL does not answer."""
    import asyncpg

    try:
        admin = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        return f"{PG_ADMIN_URL} does not answer ({type(exc).__name__}: {exc})"
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", PG_DB):
            await admin.execute(f'CREATE DATABASE "{PG_DB}"')
    finally:
        await admin.close()
    connection = await asyncpg.connect(PG_URL, timeout=5)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return None


class Run:
    """One fan-out: `instances` processes sending N reminders; what the server saw, and the stops."""

    def __init__(self, instances: int, n: int) -> None:
        self.count = instances
        self.n = n
        self.chats: list[int] = []
        self.report: common.ServerReport | None = None
        self.elapsed = 0.0
        self.stops: list[float] = []
        self.codes: list[int | None] = []
        self.logs = ""

    async def go(self, server: common.BenchServer, folder: Path, bound: float) -> None:
        async with common.bench_app(database_url=PG_URL) as (app, clock):
            self.chats = await common.seed_reminders(app, self.n)
            start = clock.now()
        await server.clear()
        root = server.base_url.removesuffix("/bot")
        instances = [
            await Instance.start(f"{self.count}-{index}", host, self._env(root, host), start, folder)
            for index, host in enumerate(HOSTS[: self.count])
        ]
        began = time.monotonic()
        try:
            while time.monotonic() - began < bound:
                await asyncio.sleep(1)
                if any(instance.process.returncode is not None for instance in instances):
                    break  # one ended by itself: its log says why (printed below)
                if all(common.messages_by_chat(await server.report(), self.chats).values()):
                    break
            await asyncio.sleep(1)  # anything sent twice would have come by now
            self.elapsed = time.monotonic() - began
            self.stops = [await instance.terminate() for instance in instances]
        finally:
            for instance in instances:
                await instance.kill()
        self.codes = [instance.process.returncode for instance in instances]
        self.logs = ", ".join(str(instance.output) for instance in instances)
        self.report = await server.report()

    @staticmethod
    def _env(root: str, host: str) -> dict[str, str]:
        return {
            "NHACVIEC_DATABASE_URL": PG_URL,
            "NHACVIEC_TELEGRAM_TOKEN": common.TOKEN,
            "NHACVIEC_TELEGRAM_API_URL": root.replace("127.0.0.1", host),
            "NHACVIEC_ADMINS": common.ADMIN_ID,
            "NHACVIEC_WEB_PORT": "0",  # each its own port for /healthz: two cannot share 8080
            "PTB_TIMEDELTA": "true",
        }

    def print(self, report: common.Report, *, checked: bool) -> float:
        """Its lines (and, when `checked`, the targets); the achieved rate."""
        assert self.report is not None
        name = f"{self.count} instance{'s' if self.count > 1 else ''}"
        received = common.messages_by_chat(self.report, self.chats)
        times = common.accepted_times(self.report, self.chats)
        rate = common.rate_between(times)
        lost = sum(1 for count in received.values() if count == 0)
        doubled = sum(1 for count in received.values() if count > 1)
        wanted = set(self.chats)
        shares = Counter(
            record.host.partition(":")[0]
            for record in self.report.sent
            if record.method == "sendMessage" and record.chat_id in wanted
        )
        report.line(f"{name}: messages delivered", sum(received.values()))
        report.line(f"{name}: sent by each instance", dict(sorted(shares.items())))
        span = f"{times[-1] - times[0]:.1f}" if len(times) > 1 else "-"
        report.line(f"{name}: first to last accepted message, s", span)
        report.line(f"{name}: achieved rate, messages/s", f"{rate:.2f}")
        gap = max((after - before for before, after in itertools.pairwise(times)), default=0.0)
        report.line(f"{name}: longest gap between two accepted messages, ms", f"{gap * 1000:.0f}")
        report.line(f"{name}: 429 answers from the server", self.report.stats.rate_limited)
        report.line(f"{name}: SIGTERM to exit, s", ", ".join(f"{took:.2f}" for took in self.stops))
        report.line(f"{name}: exit codes", self.codes)
        ratio = rate / SERVER_LIMIT
        if checked:
            report.check(f"{name}: achieved/limit", f"{ratio:.3f}", ratio >= RATE_TARGET, f">= {RATE_TARGET}")
            report.check(f"{name}: lost (chats with no message)", lost, lost == 0, "0")
            report.check(f"{name}: doubled (chats with more than one)", doubled, doubled == 0, "0")
        else:
            report.line(f"{name}: achieved/limit", f"{ratio:.3f}")
            report.line(f"{name}: lost, doubled", f"{lost}, {doubled}")
        ended = [code for code, took in zip(self.codes, self.stops, strict=True) if took == 0.0]
        report.check(f"{name}: instances that ended before the SIGTERM", len(ended), not ended, "0")
        if lost or doubled or ended or any(code != 0 for code in self.codes):
            report.line(f"{name}: logs", self.logs)
        return rate


async def run(n: int, bound: float) -> int:
    report = common.Report(
        f"instances: {n} reminders to {n} chats, server limit {SERVER_LIMIT}/s (child process), "
        "one `nhacviec run` then two on one PostgreSQL"
    )
    reason = await reset_postgres()
    if reason is not None:
        print(f"postgresql: {reason}; nothing measured", flush=True)
        return 2
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-instances-") as tmp:
        folder = Path(tmp)
        async with common.BenchServer() as server:
            await server.rate_limit(SERVER_LIMIT)
            runs = []
            for count in (1, 2):
                if count > 1 and await reset_postgres() is not None:
                    return 2
                runs.append(Run(count, n))
                await runs[-1].go(server, folder, bound)
        baseline = runs[0].print(report, checked=False)
        rate = runs[1].print(report, checked=True)
        report.line("two instances against one", f"{rate / baseline:.3f}" if baseline else "-")
        return report.finish()


def main() -> None:
    common.prepare()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=common.positive_int, default=3000, help="reminders, one per chat (3000)")
    parser.add_argument(
        "--bound", type=float, default=None, help="wall seconds a run may take (default: twice the ideal + 60)"
    )
    args = parser.parse_args()
    bound = args.bound if args.bound is not None else 2 * args.n / SERVER_LIMIT + 60
    sys.exit(asyncio.run(run(args.n, bound)))


if __name__ == "__main__":
    main()
