"""`nhacviec db backup` in the middle of the 08:00 fan-out, then `nhacviec db restore`: every row back (issue 17).

The real service (`nhacviec run`'s entry, tests/e2e/serve_process.py) reminds 60 officials through
the fake Bot API, behind a proxy that can hold sends back. The moment the server has accepted the
20th reminder the real `nhacviec db backup` starts as a process while the sends go on; should it
not be done by the 40th, the proxy holds the sends until it is, so the backup always sees a fan-out
half done. Once every reminder is out, the backup is restored into a new, empty database, and each
table is compared with the bot's own, row by row: equal, but for the reminders the fan-out sent
after the snapshot (the restore has them pending, as they were).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel, select

from bot.app import App
from storage import db
from storage.models import Reminder
from tests.conftest import ADMIN_ID
from tests.e2e.conftest import TOKEN
from tests.fakes.echoing_proxy import EchoingProxy
from tests.fakes.telegram_api import FakeTelegramServer, SentRecord
from tests.helpers import OLD_XA_PHUONG
from tests.integration.test_reminders import register

SERVE = Path(__file__).with_name("serve_process.py")
NHACVIEC = str(Path(sys.executable).with_name("nhacviec"))
OFFICIALS = 60
BACKUP_AT, HOLD_AT = 20, 40  # accepted reminders
# What the fan-out writes of a reminder; a restore has them as they were at the snapshot.
SENDING = {
    "status",
    "sent_at",
    "message_id",
    "attempts",
    "claimed_until",
    "claimed_by",
    "last_error",
    "next_attempt_at",
}


@pytest.fixture
async def restored_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """A database that does not exist yet (SQLite) or is empty (PostgreSQL), for the restore."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_restored"
    admin = await asyncpg.connect(url.set(database="postgres").render_as_string(hide_password=False))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
    except asyncpg.PostgresError as exc:
        await admin.close()
        pytest.skip(f"cannot make a database to restore into: {exc}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def nhacviec(*arguments: str, database_url: str) -> tuple[int, str]:
    env = {**os.environ, "NHACVIEC_DATABASE_URL": database_url}
    process = await asyncio.create_subprocess_exec(
        NHACVIEC, *arguments, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace").strip()


async def tables(url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every table's rows by primary key (alembic's version table by its one column)."""
    found: dict[str, dict[Any, dict[str, Any]]] = {}
    async with db.engine_for(url) as engine, engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            key = [column.name for column in table.primary_key.columns]
            rows = (await connection.execute(select(table))).mappings().all()
            found[table.name] = {tuple(row[name] for name in key): dict(row) for row in rows}
        versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        found["alembic_version"] = {(version,): {"version_num": version} for version in versions}
    return found


async def fan_out_with_a_backup(
    database_url: str, server: FakeTelegramServer, proxy: EchoingProxy, backup: Path, start: str, tmp_path: Path
) -> str:
    """Run the service through the fan-out, the backup taken in its middle; the backup's output."""
    backing_up: list[asyncio.Task[tuple[int, str]]] = []
    accepted = 0

    def on_sent(record: SentRecord) -> None:
        nonlocal accepted
        if record.method != "sendMessage":
            return
        accepted += 1
        if accepted == BACKUP_AT:
            taking = nhacviec("db", "backup", "-o", str(backup), database_url=database_url)
            backing_up.append(asyncio.create_task(taking))
        elif accepted == HOLD_AT and not backing_up[0].done():
            proxy.gate = asyncio.Event()
            backing_up[0].add_done_callback(lambda _task: proxy.gate.set() if proxy.gate else None)

    server.on_sent = on_sent
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_TELEGRAM_TOKEN": TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": proxy.root,
        "NHACVIEC_ADMINS": str(ADMIN_ID),
    }
    with (tmp_path / "service.log").open("wb") as log:
        service = await asyncio.create_subprocess_exec(
            sys.executable, str(SERVE), start, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
    try:
        while not (backing_up and backing_up[0].done() and len(sent_to(server)) == OFFICIALS):
            assert service.returncode is None, (tmp_path / "service.log").read_text()
            await asyncio.sleep(0.1)
    finally:
        server.on_sent = None
        service.send_signal(signal.SIGTERM)
        await asyncio.wait_for(service.wait(), timeout=30)
    code, printed = backing_up[0].result()
    assert code == 0, printed
    return printed


def sent_to(server: FakeTelegramServer) -> set[int]:
    return {r.chat_id for r in server.sent if r.method == "sendMessage" and r.chat_id and r.chat_id >= 8000}


async def test_a_backup_taken_mid_fan_out_restores_every_row(
    app: App, server: FakeTelegramServer, database_url: str, restored_url: str, tmp_path: Path
) -> None:
    server.strict_chats = False  # the officials' chats exist; nobody needs to write first
    for i in range(OFFICIALS):
        await register(app, 8000 + i, OLD_XA_PHUONG[i % len(OLD_XA_PHUONG)], name=f"CB {8000 + i}")
    backup = tmp_path / "nhacviec.backup"
    async with EchoingProxy(server.root) as proxy:
        printed = await fan_out_with_a_backup(
            database_url, server, proxy, backup, app.clock.now().isoformat(), tmp_path
        )
    assert printed.startswith(f"backup written to {backup}")
    async with app.sessions() as session:
        statuses = (await session.exec(select(Reminder.status))).all()
    assert statuses == ["sent"] * OFFICIALS  # the fan-out ended

    assert await nhacviec("db", "restore", str(backup), database_url=restored_url) == (
        0,
        f"restored {backup} into the empty database; the next start brings it to the latest migration",
    )
    code, refused = await nhacviec("db", "restore", str(backup), database_url=restored_url)
    assert code == 2
    assert refused.startswith("nhacviec: the database is not empty (")

    bot, restored = await tables(database_url), await tables(restored_url)
    assert set(restored) == set(bot)
    for name in bot:
        assert restored[name].keys() == bot[name].keys(), name  # every row, by its primary key
        if name not in ("reminder", "send_pace"):  # the pace's next slot moves with every send
            assert restored[name] == bot[name], name
    sent_then = 0
    for key, row in restored["reminder"].items():
        now = bot["reminder"][key]
        assert {c: v for c, v in row.items() if c not in SENDING} == {c: v for c, v in now.items() if c not in SENDING}
        if row["status"] == "sent":
            sent_then += 1
            assert row == now  # sent before the snapshot: recorded then as it is now
        else:
            assert (row["status"], row["sent_at"]) == ("pending", None)
    assert BACKUP_AT <= sent_then < OFFICIALS  # the snapshot was taken mid fan-out
