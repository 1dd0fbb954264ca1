"""Two real `nhacviec run` processes on one PostgreSQL database, against the fake Bot API (issue 17).

500 reminders are due at 08:00 on 2 January 2025; the fake server enforces Telegram's 30 messages a
second for the bot, and each instance names it its own way, so its records tell who sent what
(tests/e2e/instances.py). Both instances send (their claims are atomic, their pace is shared in the
database); exactly one polls (the poller lock), and when it is killed the other takes over. A SIGTERM
hands back what the instance claimed and did not send, at once. By webhook both take updates. On one
SQLite file the second is refused at start.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select

from bot.app import App
from scheduler.clock import FakeClock
from storage.models import Reminder
from tests.conftest import ADMIN_ID, PG_URL, reset_postgres
from tests.e2e.conftest import TOKEN
from tests.e2e.instances import HOSTS, POLLS, Instance
from tests.fakes.outbox_rows import seed_reminders
from tests.fakes.telegram_api import FakeTelegramServer, SentRecord

REMINDERS = 500
STOP_WITHIN = 5.0  # seconds from SIGTERM to exit: Docker's stop waits 10 before SIGKILL
TAKE_OVER_WITHIN = 30.0  # seconds for another instance to poll once the poller died
RUNNING = "Telegram bot @nhacviec_test_bot is running"
PUBLIC = "https://nhacviec.example.org"
SECRET = "two-instances_webhook-secret"


@pytest.fixture
async def database_url() -> str:
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL (scripts/test.sh does when one answers)")
    await reset_postgres(PG_URL)
    return PG_URL


def environment(server: FakeTelegramServer, host: str, database_url: str, **more: str) -> dict[str, str]:
    return {
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_TELEGRAM_TOKEN": TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": server.root.replace("127.0.0.1", host),
        "NHACVIEC_ADMINS": str(ADMIN_ID),
        "NHACVIEC_POLLER_CHECK_SECONDS": "1",
        "NHACVIEC_WEB_PORT": "0",  # each its own port for the page and /healthz: two on one machine
        **{f"NHACVIEC_{name.upper()}": value for name, value in more.items()},
    }


async def two(
    server: FakeTelegramServer, clock: FakeClock, tmp_path: Path, database_url: str, **more: str
) -> list[Instance]:
    return [
        await Instance.start(name, host, environment(server, host, database_url, **more), clock.now(), tmp_path)
        for name, host in zip("ab", HOSTS, strict=True)
    ]


def received(server: FakeTelegramServer, chats: list[int]) -> Counter[int]:
    wanted = set(chats)
    return Counter(r.chat_id for r in server.sent if r.method == "sendMessage" and r.chat_id in wanted)


def sent_by(server: FakeTelegramServer, chats: list[int]) -> Counter[str]:
    wanted = set(chats)
    return Counter(r.host.partition(":")[0] for r in server.sent if r.method == "sendMessage" and r.chat_id in wanted)


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting {timeout:g} s for {what}")
        await asyncio.sleep(0.1)


async def rows(app: App) -> list[tuple[str, object]]:
    async with app.sessions() as session:
        return list((await session.exec(select(Reminder.status, Reminder.claimed_until))).all())


async def answered_once(server: FakeTelegramServer, user_id: int, text: str = "/toi") -> SentRecord:
    before = len([r for r in server.sent if r.chat_id == user_id])
    await server.user(user_id, f"Người {user_id}").send(text)
    await server.next_message(user_id, timeout=15)
    await asyncio.sleep(1)  # a second answer (two pollers) would have come by now
    answers = [r for r in server.sent if r.chat_id == user_id][before:]
    assert len(answers) == 1, [a.text for a in answers]
    return answers[0]


async def stopped(instances: list[Instance]) -> None:
    for instance in instances:
        await instance.kill()


@pytest.mark.timeout(120)
async def test_two_instances_send_500_reminders_once_each_and_a_sigterm_hands_back_the_rest(
    app: App, clock: FakeClock, server: FakeTelegramServer, tmp_path: Path, database_url: str
) -> None:
    chats = await seed_reminders(app, REMINDERS)
    server.strict_chats = False  # the officials' chats exist; nobody needs to write first
    server.rate_limit(30)  # Telegram's limit for the bot: both instances together
    halfway = asyncio.Event()
    server.on_sent = lambda _record: halfway.set() if sum(received(server, chats).values()) >= 250 else None
    instances = await two(server, clock, tmp_path, database_url)  # the lease: 2 minutes, the default
    first, second = instances
    try:
        await asyncio.wait_for(halfway.wait(), timeout=60)
        assert sent_by(server, chats)[second.host] > 0, f"the second instance sent nothing: {sent_by(server, chats)}"
        assert [instance.polls for instance in instances].count(True) == 1
        took = await second.terminate()  # mid fan-out: what it claimed and did not send goes back
        assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{second.printed}"
        assert second.process.returncode == 0, second.printed
        # The rest comes well before the 2 minutes a claim left behind would have held it.
        await until(lambda: len(received(server, chats)) == REMINDERS, 60, "every reminder")
        await asyncio.sleep(1)  # anything sent twice would have come by now
        counts = received(server, chats)
        assert max(counts.values()) == 1, "sent twice: " + str([chat for chat, n in counts.items() if n > 1])
        by = sent_by(server, chats)
        assert by[first.host] > 0
        assert by[second.host] > 0
        assert server.stats.rate_limited < 25, server.stats  # 58 a second offered would earn hundreds

        await first.until_printed(POLLS, TAKE_OVER_WITHIN)  # the first polls, or took over from the second
        await answered_once(server, ADMIN_ID)
        took = await first.terminate()
        assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{first.printed}"
    finally:
        server.on_sent = None
        await stopped(instances)
    assert first.process.returncode == 0, first.printed
    assert all(status == "sent" and claimed is None for status, claimed in await rows(app))


@pytest.mark.timeout(120)
async def test_a_kill_9_of_the_poller_mid_fan_out_loses_none_and_the_other_takes_over(
    app: App, clock: FakeClock, server: FakeTelegramServer, tmp_path: Path, database_url: str
) -> None:
    chats = await seed_reminders(app, REMINDERS)
    server.strict_chats = False
    server.rate_limit(30)
    instances = await two(server, clock, tmp_path, database_url, claim_lease_seconds="10")
    try:
        await until(lambda: any(instance.polls for instance in instances), 30, "an instance to poll")
        [victim] = [instance for instance in instances if instance.polls]
        [survivor] = [instance for instance in instances if instance is not victim]
        in_flight: list[int] = []

        def on_sent(record: SentRecord) -> None:
            if in_flight or record.method != "sendMessage" or not record.host.startswith(victim.host + ":"):
                return
            if sent_by(server, chats)[victim.host] == 60:  # accepted, and the process dies before reading the answer
                in_flight.append(record.chat_id or 0)
                victim.kill_now()

        server.on_sent = on_sent
        await until(lambda: bool(in_flight), 60, "the poller's 60th reminder")
        killed_at = time.monotonic()
        took_over = await survivor.until_printed(POLLS, TAKE_OVER_WITHIN)
        assert took_over - killed_at < TAKE_OVER_WITHIN
        await answered_once(server, ADMIN_ID)  # chats are answered again, by the survivor

        # The victim's claims come back when their lease (10 s here) ends; the survivor sends them.
        await until(lambda: len(received(server, chats)) == REMINDERS, 90, "every reminder")
        await asyncio.sleep(1)
        counts = received(server, chats)
        twice = [chat for chat, n in counts.items() if n > 1]
        # The one the server had accepted as the victim died, its answer unread: sent again, not lost.
        assert twice == in_flight, f"sent twice: {twice}; in flight when killed: {in_flight}"
        assert max(counts.values()) == 2
        took = await survivor.terminate()
        assert took < STOP_WITHIN, f"{took:.1f} s to stop:\n{survivor.printed}"
    finally:
        server.on_sent = None
        await stopped(instances)
    assert survivor.process.returncode == 0, survivor.printed
    assert all(status == "sent" and claimed is None for status, claimed in await rows(app))


def free_ports(n: int) -> list[int]:
    probes = [socket.socket() for _ in range(n)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@pytest.mark.timeout(90)
async def test_by_webhook_every_instance_takes_updates_and_none_polls(
    app: App, clock: FakeClock, server: FakeTelegramServer, tmp_path: Path, database_url: str
) -> None:
    ports = free_ports(2)
    server.webhook_delivery.route(PUBLIC, *(f"http://127.0.0.1:{port}" for port in ports))  # the proxy, in turn
    instances = [
        await Instance.start(
            name,
            host,
            environment(
                server,
                host,
                database_url,
                telegram_webhook_url=f"{PUBLIC}/telegram",
                telegram_webhook_secret=SECRET,
                telegram_webhook_port=str(port),
                telegram_webhook_listen="127.0.0.1",
            )
            | {"SERVE_VERBOSE": "1"},  # DEBUG: python-telegram-bot logs every call's parameters
            clock.now(),
            tmp_path,
        )
        for name, host, port in zip("ab", HOSTS, ports, strict=True)
    ]
    try:
        for instance in instances:
            await instance.until_printed(RUNNING, 30)
        people = [ADMIN_ID, *range(5001, 5009)]
        answers = [await answered_once(server, person) for person in people]
        by = Counter(answer.host.partition(":")[0] for answer in answers)
        assert by[HOSTS[0]] > 0
        assert by[HOSTS[1]] > 0  # each instance answered the updates the proxy gave it
        assert [call.status for call in server.webhook_delivery.calls] == [200] * len(people)
        assert [name for name, _ in server.calls].count("setWebhook") == 2
        assert "getUpdates" not in [name for name, _ in server.calls]
        for instance in instances:
            assert await instance.terminate() < STOP_WITHIN
    finally:
        await stopped(instances)
    for instance in instances:
        assert instance.process.returncode == 0, instance.printed
        assert "setWebhook" in instance.printed  # the call was logged...
        assert SECRET not in instance.printed  # ...and its secret was not


async def test_a_second_instance_on_one_sqlite_file_is_refused_at_start_with_one_sentence(
    clock: FakeClock, server: FakeTelegramServer, tmp_path: Path
) -> None:
    path = tmp_path / "one.db"
    instances = await two(server, clock, tmp_path, f"sqlite:///{path}")  # started together
    try:
        waits = [asyncio.create_task(instance.process.wait()) for instance in instances]
        await asyncio.wait(waits, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()
        [refused] = [instance for instance in instances if instance.process.returncode is not None]
        [running] = [instance for instance in instances if instance is not refused]
        await running.until_printed(RUNNING, 30)
        assert await running.terminate() < STOP_WITHIN
    finally:
        await stopped(instances)
    assert running.process.returncode == 0, running.printed
    assert refused.process.returncode == 2
    assert refused.printed.strip().splitlines()[-1] == (
        f"nhacviec: another `nhacviec run` is already using the SQLite database {path}: SQLite serves one "
        "instance, so stop that one first, or move to PostgreSQL (NHACVIEC_DATABASE_URL) to run several"
    )
