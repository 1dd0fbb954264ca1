"""What several instances share through PostgreSQL: the send pace (storage/pace.py)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db, pace
from tests.conftest import PG_URL, reset_postgres

STEP = 0.1  # seconds between two slots


@pytest.fixture
async def engines() -> AsyncIterator[list[AsyncEngine]]:
    """Two instances' engines on one migrated PostgreSQL database."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL: set NHACVIEC_TEST_DATABASE_URL (scripts/test.sh does when one answers)")
    await reset_postgres(PG_URL)
    async with db.opened(PG_URL) as first, db.engine_for(PG_URL) as second:
        yield [first, second]


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
