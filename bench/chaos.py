"""The probe of issue 27 as a script: real `nhacviec run` processes crashed, faulted, cut off and stopped,
on SQLite and PostgreSQL, against the fake Bot API (in this process); one table at the end.

    .venv/bin/python -m bench.chaos            # 120 reminders a case, both databases: about 5 minutes
    .venv/bin/python -m bench.chaos --n 60     # CI's form
    scripts/chaos.sh                           # the same

Cases, each from an empty database with N reminders due at 08:00 on Monday 6 January 2025:
* crash: kill -9 when the server has accepted a third of them, again at two thirds, then a restart;
* fault: 30% of sends answered 500, 502 or 429, and 10% never answered;
* outage (PostgreSQL): the database's port closed for 10 s when a third have gone;
* SIGTERM: seconds to exit when idle, mid fan-out, with the API hanging, the database refusing and
  the database silent (packets dropped: tests/fakes/tcp_proxy.py); the last two on PostgreSQL.
Targets: none lost, at most two doubled per kill, none doubled otherwise, every exit within 5 s.
Exits 1 when a target is missed, 2 when PostgreSQL does not answer.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import common
from bench.instances import reset_postgres
from tests.e2e.instances import Instance
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import FakeTelegramServer, SentRecord

STATES = ("idle", "fan-out", "API hanging", "database refusing", "database silent")
EXIT_WITHIN = 5.0
DOUBLED_PER_KILL = 2


@dataclass
class Row:
    database: str
    case: str
    reminders: int = 0
    lost: int | str = "-"
    doubled: int | str = "-"
    kills: int = 0
    exit_seconds: float | None = None

    @property
    def per_kill(self) -> str:
        return f"{self.doubled / self.kills:.1f}" if self.kills and isinstance(self.doubled, int) else "-"

    def missed(self) -> bool:
        if isinstance(self.lost, int) and self.lost:
            return True
        if isinstance(self.doubled, int) and self.doubled > DOUBLED_PER_KILL * self.kills:
            return True
        return self.exit_seconds is not None and self.exit_seconds >= EXIT_WITHIN


class Case:
    """One database, one fan-out: seeds it, starts instances through a proxy, reads what the server got."""

    def __init__(self, database: str, n: int, server: FakeTelegramServer, folder: Path) -> None:
        self.database = database
        self.n = n
        self.server = server
        self.folder = folder
        self.chats: list[int] = []
        self.proxy: TcpProxy | None = None
        self.url = ""
        self.started = 0

    async def __aenter__(self) -> Case:
        if self.database == "postgresql":
            if await reset_postgres() is not None:
                raise RuntimeError("PostgreSQL does not answer")
            from bench.instances import PG_URL

            self.url = PG_URL
            address = make_url(PG_URL)
            self.proxy = await TcpProxy(address.host or "127.0.0.1", address.port or 5432).__aenter__()
        else:
            self.url = f"sqlite:///{self.folder / f'chaos-{time.monotonic_ns()}.db'}"
        async with common.bench_app(database_url=self.url) as (app, _clock):
            self.chats = await common.seed_reminders(app, self.n)
        self.server.sent.clear()
        self.server.hang_ratio = self.server.fail_ratio = 0.0
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.server.on_sent = None
        self.server.hang_ratio = self.server.fail_ratio = 0.0
        self.server.fault_exempt = {"getUpdates"}
        if self.proxy is not None:
            await self.proxy.__aexit__()

    async def start(self) -> Instance:
        self.started += 1
        url = self.url
        if self.proxy is not None:
            url = make_url(url).set(port=self.proxy.port).render_as_string(hide_password=False)
        env = {
            "NHACVIEC_DATABASE_URL": url,
            "NHACVIEC_TELEGRAM_TOKEN": common.TOKEN,
            "NHACVIEC_TELEGRAM_API_URL": self.server.root,
            "NHACVIEC_ADMINS": common.ADMIN_ID,
            "NHACVIEC_WEB_PORT": "0",
            "PTB_TIMEDELTA": "true",
        }
        name = f"{self.database}-{self.started}"
        return await Instance.start(name, "127.0.0.1", env, common.START, self.folder)

    def received(self) -> dict[int, int]:
        counts = dict.fromkeys(self.chats, 0)
        for record in self.server.sent:
            if record.method == "sendMessage" and record.chat_id in counts:
                counts[record.chat_id] += 1
        return counts

    def at_accepted(self, count: int, then: Callable[[], None]) -> None:
        """Call `then` the moment the server has accepted the `count`-th reminder."""
        accepted = 0

        def on_sent(record: SentRecord) -> None:
            nonlocal accepted
            if record.method == "sendMessage" and record.chat_id is not None:
                accepted += 1
                if accepted == count:
                    then()

        self.server.on_sent = on_sent

    async def until_all(self, timeout: float) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.received().values()):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # anything sent twice would have come by now

    def row(self, case: str, *, kills: int = 0) -> Row:
        counts = self.received().values()
        lost = sum(1 for c in counts if c == 0)
        doubled = sum(1 for c in counts if c > 1)
        return Row(self.database, case, self.n, lost, doubled, kills)


async def crash(case: Case) -> Row:
    kills = 0
    for share in (1, 2):
        instance = await case.start()
        case.at_accepted(case.n * share // 3 - sum(case.received().values()), instance.kill_now)
        await asyncio.wait_for(instance.process.wait(), timeout=120)
        kills += 1
    instance = await case.start()  # no lease to wait for: the dead claims are let go at the restart
    await case.until_all(120)
    await instance.terminate()
    return case.row("crash (kill -9 twice, restart)", kills=kills)


async def fault(case: Case) -> Row:
    case.server.fail_ratio, case.server.fail_statuses = 0.3, (500, 502, 429)
    case.server.fault_exempt = {"getUpdates", "getMe", "deleteWebhook", "setMyCommands", "deleteMyCommands"}
    case.server.hang_ratio = 0.1
    instance = await case.start()
    await case.until_all(180)
    await instance.terminate()
    return case.row("fault (30% 5xx/429, 10% hang)")


async def outage(case: Case) -> Row:
    assert case.proxy is not None
    proxy = case.proxy
    went = asyncio.Event()
    instance = await case.start()
    case.at_accepted(case.n // 3, went.set)
    await asyncio.wait_for(went.wait(), timeout=120)
    await proxy.down()
    await asyncio.sleep(10)
    await proxy.up()
    await case.until_all(120)
    row = case.row("outage (database down 10 s)")
    row.exit_seconds = await instance.terminate()
    return row


async def stop_in(case: Case, state: str) -> Row:
    instance = await case.start()
    if state == "idle":
        await case.until_all(120)
    else:
        reached = asyncio.Event()
        case.at_accepted(case.n // 3, reached.set)
        await asyncio.wait_for(reached.wait(), timeout=120)
        if state == "API hanging":
            case.server.hang_ratio = 1.0
        elif state == "database refusing" and case.proxy is not None:
            await case.proxy.down()
        elif state == "database silent" and case.proxy is not None:
            case.proxy.silence()
        if state != "fan-out":
            await asyncio.sleep(1)
    took = await instance.terminate()
    await instance.kill()
    return Row(case.database, f"SIGTERM: {state}", exit_seconds=took)


async def run(n: int, databases: list[str]) -> int:
    report = common.Report(f"chaos: {n} reminders a case, `nhacviec run` processes, fake Bot API at 30/s")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nhacviec-chaos-") as tmp:
        folder = Path(tmp)
        async with FakeTelegramServer(token=common.TOKEN, bot_username=common.BOT_USERNAME) as server:
            server.strict_chats = False
            server.rate_limit(30)
            for database in databases:
                if database == "postgresql" and await reset_postgres() is not None:
                    print("postgresql: does not answer; nothing measured", flush=True)
                    return 2
                cases = [crash, fault] + ([outage] if database == "postgresql" else [])
                for scenario in cases:
                    async with Case(database, n, server, folder) as case:
                        rows.append(await scenario(case))
                        report.line(f"{database}: {rows[-1].case}", "done")
                for state in STATES:
                    if state.startswith("database") and database != "postgresql":
                        continue
                    async with Case(database, n, server, folder) as case:
                        rows.append(await stop_in(case, state))
                        report.line(f"{database}: {rows[-1].case}", f"{rows[-1].exit_seconds:.2f} s")
    print_table(rows)
    for row in rows:
        report.check(f"{row.database}: {row.case}", "missed" if row.missed() else "ok", not row.missed(), "ok")
    return report.finish()


def print_table(rows: list[Row]) -> None:
    print("\n| database | case | reminders | lost | doubled | doubled per kill | seconds to exit |", flush=True)
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        seconds = f"{row.exit_seconds:.2f}" if row.exit_seconds is not None else "-"
        reminders = row.reminders or "-"
        print(
            f"| {row.database} | {row.case} | {reminders} | {row.lost} | {row.doubled} | {row.per_kill} | {seconds} |"
        )
    print(flush=True)


def main() -> None:
    common.prepare()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=common.positive_int, default=120, help="reminders a case (120)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    sys.exit(asyncio.run(run(args.n, databases)))


if __name__ == "__main__":
    main()
