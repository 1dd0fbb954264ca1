"""SQLite connections that run a statement in one trip to their thread (storage/sqlite_driver.py)."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session
from sqlmodel import select

from storage import db, sqlite_driver
from storage.sqlite_driver import OneTripConnection


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with db.opened(f"sqlite:///{tmp_path / 'trips.db'}") as engine:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT UNIQUE)")
        yield engine


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function sent to a connection's thread, in order."""
    sent: list[str] = []
    original = OneTripConnection._execute

    async def counting(self: OneTripConnection, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(fn, "__name__", type(fn).__name__))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(OneTripConnection, "_execute", counting)
    return sent


async def test_the_engine_uses_one_trip_connections(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, OneTripConnection)


async def test_a_query_is_one_trip_and_a_session_that_only_read_ends_without_one(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with db.session_factory(engine)() as session:
        await session.connection()
        trips.clear()
        rows = (await session.exec(text("SELECT 1, 'một' UNION ALL SELECT 2, 'hai'"))).all()  # type: ignore[call-overload]
        assert [tuple(row) for row in rows] == [(1, "một"), (2, "hai")]
        assert len(trips) == 1
    assert len(trips) == 1  # the ROLLBACK of a session that wrote nothing had been a trip of its own


async def test_a_write_tells_rowcount_lastrowid_and_returning(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.connect() as conn:
        trips.clear()
        inserted = await conn.exec_driver_sql("INSERT INTO note (body) VALUES ('a')")
        assert (inserted.rowcount, inserted.lastrowid) == (1, 1)
        returned = await conn.exec_driver_sql("INSERT INTO note (body) VALUES ('b') RETURNING id, body")
        assert [tuple(row) for row in returned.all()] == [(2, "b")]
        changed = await conn.exec_driver_sql("UPDATE note SET body = body || '!'")
        assert changed.rowcount == 2
        assert len(trips) == 3
        await conn.commit()
        assert len(trips) == 4  # the COMMIT of a write is a trip, as before
    async with engine.connect() as conn:
        bodies = (await conn.exec_driver_sql("SELECT body FROM note ORDER BY id")).scalars().all()
    assert bodies == ["a!", "b!"]


async def test_a_rollback_after_a_write_still_undoes_it(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.exec_driver_sql("INSERT INTO note (body) VALUES ('gone')")
        await conn.rollback()
        assert (await conn.exec_driver_sql("SELECT count(*) FROM note")).scalar() == 0


async def test_many_rows_at_once_and_a_failing_statement(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO note (body) VALUES (:body)"), [{"body": f"n{i}"} for i in range(5)])
    async with engine.connect() as conn:
        with pytest.raises(IntegrityError, match="UNIQUE"):
            await conn.exec_driver_sql("INSERT INTO note (body) VALUES ('n1')")
        await conn.rollback()
        # the connection still works, and a streamed result (a server-side cursor) reads every row
        streamed = await conn.stream(text("SELECT body FROM note ORDER BY id"))
        bodies = [row[0] async for row in streamed]
        partial = (await conn.stream(text("SELECT id FROM note ORDER BY id"))).partitions(2)
        chunks = [[row[0] for row in chunk] async for chunk in partial]
    assert bodies == [f"n{i}" for i in range(5)]
    assert chunks == [[1, 2], [3, 4], [5]]


async def test_a_short_read_asked_to_run_here_takes_no_trip(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.begin() as conn:
        await conn.exec_driver_sql("INSERT INTO note (body) VALUES ('a'), ('b')")
    async with db.session_factory(engine)() as session:

        def read(sync: Session) -> list[Any]:
            connection = sync.connection()
            with sqlite_driver.in_this_thread(connection):
                here = list(connection.exec_driver_sql("SELECT body FROM note ORDER BY id").scalars())
            there = list(connection.exec_driver_sql("SELECT count(*) FROM note").scalars())
            return [here, there]

        await session.connection()
        trips.clear()
        assert await session.run_sync(read) == [["a", "b"], [2]]
    assert len(trips) == 1  # only the statement after the block


async def test_a_write_asked_to_commit_with_itself_takes_one_trip(engine: AsyncEngine, trips: list[str]) -> None:
    async with db.session_factory(engine)() as session:

        def write(sync: Session, body: str) -> None:
            connection = sync.connection()
            with sqlite_driver.and_commit(connection):
                connection.exec_driver_sql("INSERT INTO note (body) VALUES (?)", (body,))
            sync.commit()

        await session.connection()
        trips.clear()
        await session.run_sync(write, "kept")
        assert len(trips) == 1  # the INSERT and its COMMIT; SQLAlchemy's COMMIT found nothing open
        with pytest.raises(IntegrityError):  # a failing write commits nothing and leaves nothing open
            await session.run_sync(write, "kept")
        await session.rollback()
    async with engine.connect() as other:  # another connection sees the committed row
        assert (await other.exec_driver_sql("SELECT body FROM note")).scalars().all() == ["kept"]
        raw = await other.get_raw_connection()
        assert isinstance(raw.driver_connection, OneTripConnection)
        assert not raw.driver_connection.commit_after
        assert not raw.driver_connection.here


async def write_now_of(conn: Any) -> OneTripConnection:
    driver = await sqlite_driver.one_trip_connection(conn)
    assert driver is not None
    return driver


async def pragmas(conn: Any) -> tuple[int, int]:
    timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    pages = (await conn.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar()
    return timeout, pages


async def test_a_write_now_runs_here_with_its_commit_when_sqlite_is_free(engine: AsyncEngine, trips: list[str]) -> None:
    async with engine.connect() as conn:
        driver = await write_now_of(conn)
        settings = await pragmas(conn)
        trips.clear()
        await driver.write_now(
            [("INSERT INTO note (body) VALUES (?)", ["a"]), ("INSERT INTO note (body) VALUES (?)", ["b"])]
        )
        assert trips == []  # no trip to the connection's thread
        assert await pragmas(conn) == settings == (5000, 1000)  # the busy handler and checkpoints are back
    async with engine.connect() as other:
        assert (await other.exec_driver_sql("SELECT body FROM note ORDER BY id")).scalars().all() == ["a", "b"]


async def test_a_write_now_that_fails_writes_nothing_and_leaves_nothing_open(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        driver = await write_now_of(conn)
        await driver.write_now([("INSERT INTO note (body) VALUES (?)", ["a"])])
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            await driver.write_now(
                [("INSERT INTO note (body) VALUES (?)", ["b"]), ("INSERT INTO note (body) VALUES (?)", ["a"])]
            )
        assert not driver._conn.in_transaction
        assert await pragmas(conn) == (5000, 1000)
    async with engine.connect() as other:
        assert (await other.exec_driver_sql("SELECT body FROM note")).scalars().all() == ["a"]


async def test_a_write_now_meeting_a_lock_waits_for_it_in_the_connections_thread(
    engine: AsyncEngine, tmp_path: Path, trips: list[str]
) -> None:
    holder = sqlite3.connect(tmp_path / "trips.db", isolation_level=None)  # another process, say
    holder.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock
    holder.execute("INSERT INTO note (body) VALUES ('first')")
    try:
        async with engine.connect() as conn:
            driver = await write_now_of(conn)
            trips.clear()
            write = asyncio.create_task(driver.write_now([("INSERT INTO note (body) VALUES (?)", ["second"])]))
            for _ in range(20):  # the event loop goes on meanwhile: the wait is in the connection's thread
                await asyncio.sleep(0)
            assert not write.done()
            assert len(trips) == 1
            holder.execute("COMMIT")
            await asyncio.wait_for(write, timeout=10)
            assert await pragmas(conn) == (5000, 1000)
    finally:
        holder.close()
    async with engine.connect() as other:
        assert (await other.exec_driver_sql("SELECT body FROM note ORDER BY id")).scalars().all() == ["first", "second"]


def test_the_installed_aiosqlite_has_the_private_parts_the_fast_path_uses() -> None:
    """Fails the day aiosqlite changes them: pin it back (pyproject.toml) or mend storage/sqlite_driver.py."""
    import aiosqlite

    assert sqlite_driver.missing_parts() == [], f"aiosqlite {aiosqlite.__version__}"
    assert sqlite_driver.available()


async def test_an_aiosqlite_without_those_parts_gets_the_stock_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sqlite_driver, "available", lambda: False)
    async with db.opened(f"sqlite:///{tmp_path / 'stock.db'}") as engine, engine.begin() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert not isinstance(driver, OneTripConnection)
        assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    assert "using the stock driver" in caplog.text


async def test_the_whole_loop_runs_on_the_stock_driver_when_the_setting_asks(tmp_path: Path) -> None:
    """NHACVIEC_SQLITE_FAST_PATH=false: registration, a reminder sent and recorded, a status update."""
    from bot.app import running
    from bot.settings import load_settings
    from scheduler.clock import FakeClock
    from storage.models import Reminder
    from tests.conftest import ADMIN_ID, START
    from tests.fakes.sender import FakeSender
    from tests.helpers import say, text_of
    from tests.integration.test_reminders import fake_time_limiter, register

    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'stock.db'}", admins=str(ADMIN_ID), sqlite_fast_path=False
    )
    clock = FakeClock(START)
    async with running(settings, clock=clock) as app:
        async with app.sessions() as session:
            driver = (await (await session.connection()).get_raw_connection()).driver_connection
            assert not isinstance(driver, OneTripConnection)
        await register(app, 2002, "Bần Yên Nhân")
        sender = FakeSender(clock=clock.now)
        await app.reminders(sender, limiter=fake_time_limiter(clock)).tick()
        assert [d.message.chat_id for d in sender.delivered] == ["2002"]
        async with app.sessions() as session:
            statuses = (await session.exec(select(Reminder.status))).all()
        assert statuses == ["sent"]
        assert "đã nộp" in text_of(await say(app, 2002, "đã nộp")).lower()
