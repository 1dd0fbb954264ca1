"""What several instances share through PostgreSQL: the outbox's claims (storage/claims.py), the poller
locks (storage/poller_lock.py) and the send pace (storage/pace.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from storage import claims, db, pace
from storage.poller_lock import PollerLock, poller_key
from tests.conftest import PG_URL, reset_postgres
from tests.fakes.outbox_rows import seed_reminders

STEP = 0.1  # seconds between two slots


@pytest.fixture
async def database_url() -> str:
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL (scripts/test.sh does when one answers)")
    await reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
async def engines() -> AsyncIterator[list[AsyncEngine]]:
    """Two instances' engines on one migrated PostgreSQL database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL (scripts/test.sh does when one answers)")
    await reset_postgres(PG_URL)
    async with db.opened(PG_URL) as first, db.engine_for(PG_URL) as second:
        yield [first, second]


async def end_session_holding(engine: AsyncEngine, channel: str) -> None:
    """As when the process holding a channel's poller lock dies: PostgreSQL ends its session, and the
    lock with it (a bigint advisory lock shows in pg_locks as its high and low 32 bits, objsubid 1)."""
    key = poller_key(channel) % 2**64
    async with engine.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = CAST(:high AS oid) AND objid = CAST(:low AS oid) AND objsubid = 1"
            ),
            {"high": key >> 32, "low": key & 0xFFFFFFFF},
        )
        await connection.commit()


async def taken_within(lock: PollerLock, seconds: float) -> bool:
    """Tried every 0.1 s, as the pollers do every few seconds (the ended session takes a moment to go)."""
    deadline = time.monotonic() + seconds
    while not await lock.take():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_one_instance_at_a_time_holds_a_channels_poller_lock(engines: list[AsyncEngine]) -> None:
    first, second = (PollerLock(engine, "telegram") for engine in engines)
    other_channel = PollerLock(engines[1], "zalo")
    try:
        assert await first.take()
        assert await first.take()  # kept: its connection answers
        assert not await second.take()
        assert await other_channel.take()  # each channel has its own

        await end_session_holding(engines[1], "telegram")  # the first instance's connection is gone
        assert await taken_within(second, 5)  # taken over at its next tries
        with pytest.raises(Exception):  # noqa: B017, PT011  # the first finds its connection gone
            await first.take()
        assert not await first.take()  # and the lock with another instance

        await second.release()
        assert await first.take()
    finally:
        for lock in (first, second, other_channel):
            await lock.release()


async def test_on_sqlite_the_poller_lock_is_always_this_instances(tmp_path: Path) -> None:
    async with db.opened(f"sqlite:///{tmp_path / 'one.db'}") as engine:
        lock = PollerLock(engine, "telegram")
        assert await lock.take()
        await lock.release()


async def test_the_send_pace_is_shared_and_a_pause_holds_every_instance(engines: list[AsyncEngine]) -> None:
    first, second = (pace.SharedPace(engine, "telegram") for engine in engines)
    zalo = pace.SharedPace(engines[0], "zalo")
    try:
        waits = [await first.book(STEP), await second.book(STEP), await first.book(STEP), await second.book(STEP)]
        for index, wait in enumerate(waits):  # slots STEP apart, whichever instance booked them
            assert index * STEP - 0.05 < (wait or 0) <= index * STEP + 1e-3, waits
        await second.pause(3)
        wait = await first.book(STEP)
        assert wait is not None
        assert 2.9 < wait <= 3.0
        assert await zalo.book(STEP) == pytest.approx(0, abs=0.05)  # each channel keeps its own pace
    finally:
        for shared in (first, second, zalo):
            await shared.close()


async def test_a_pace_the_database_cannot_keep_says_so_at_once_and_is_not_asked_again_for_a_while() -> None:
    async with db.engine_for("postgresql://nobody@127.0.0.1:1/none") as engine:  # nothing listens on port 1
        shared = pace.SharedPace(engine, "telegram")
        began = time.monotonic()
        assert await shared.book(STEP) is None
        assert await shared.book(STEP) is None
        assert time.monotonic() - began < pace.BOOK_WITHIN + 0.5
        await shared.close()


async def test_claims_made_at_once_take_disjoint_batches_of_at_most_the_limit(app: App) -> None:
    await seed_reminders(app, 500)
    now = app.clock.now()

    async def claim() -> list[int]:
        async with app.sessions() as session:
            return await claims.claim_due(session, now=now, lease_until=now + timedelta(minutes=2), limit=200)

    batches = await asyncio.gather(claim(), claim(), claim())
    assert sorted(len(batch) for batch in batches) == [100, 200, 200]  # one claim had taken every row
    assert len(set().union(*batches)) == 500
