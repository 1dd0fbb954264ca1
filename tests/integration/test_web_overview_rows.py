"""The web overview lists the units /tonghop lists, on any date (issue 26, item 1)."""

from __future__ import annotations

import re

from bot.app import App
from bot.web.overview import Choice, overview
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local

COUNT = re.compile(r"(\d+)/(\d+) đơn vị đã nộp")


async def _table(app: App) -> tuple[list[str], list[str]]:
    today = app.core.clock.now().astimezone(app.core.config.tz).date()
    async with app.core.stores() as store:
        found = await overview(app.core, store, today=today, locale="vi", choice=Choice())
    counts = [column.count for column in found.columns]
    return counts, [row.unit.name for _title, rows in found.sections for row in rows]


async def test_after_the_merger_the_overview_lists_the_units_that_still_owe_reports(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    clock.set(local(2025, 7, 2, 9, 0))  # the 13 xã/phường became 3 phường yesterday; the phòng ended
    summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
    counts, rows = await _table(app)
    assert counts == [f"{done}/{total} đã nộp" for done, total in COUNT.findall(summary)]
    # the 2025 plan ended with its issuer (30/06/2025, issue 24): what the old units owed closed with them,
    # so neither view names them, and the rows are the units of the day that the columns count
    assert "Bần Yên Nhân" not in summary
    assert "Phường Bần Yên Nhân" not in rows
    assert "Phòng Nội vụ" not in rows
    # each column's units are rows of the table: as many rows as the widest column counts
    assert len(rows) >= max((int(total) for _done, total in COUNT.findall(summary)), default=0)


async def test_every_count_equals_tonghop_on_any_date(app: App, clock: FakeClock) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Bần Yên Nhân", name="Lan")
    for day in ((2025, 1, 8), (2025, 6, 20), (2025, 7, 1), (2025, 12, 1), (2026, 1, 5)):
        clock.set(local(*day, 9, 0))
        summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
        counts, rows = await _table(app)
        assert counts == [f"{done}/{total} đã nộp" for done, total in COUNT.findall(summary)], day
        totals = [int(total) for _done, total in COUNT.findall(summary)]
        assert len(rows) >= max(totals, default=0), day
