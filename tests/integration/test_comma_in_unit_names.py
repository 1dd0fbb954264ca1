"""A unit whose name has a comma ("Phòng Kinh tế, Hạ tầng và Đô thị", Decree 150/2025): every list of
units reads the longest known name first (issue 26, item 3)."""

from __future__ import annotations

from datetime import date

from bot.app import App
from bot.core.plan_sheet_read import PlanState, _units
from messages.plan_sheet import SheetRow
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of

LONG = "Phòng Kinh tế, Hạ tầng và Đô thị"


async def _added(app: App) -> None:
    said = text_of(await say(app, ADMIN_ID, "/themdonvi Kinh tế, Hạ tầng và Đô thị; phòng"))
    assert LONG in said, said


async def test_giao_reads_a_name_with_a_comma_whole(app: App, clock: FakeClock) -> None:
    await _added(app)
    preview = text_of(await say(app, ADMIN_ID, f"/giao {LONG}, Nội vụ; trước 15/01/2025; Báo cáo hạ tầng"))
    assert "Không tìm thấy" not in preview, preview
    assert LONG in preview
    assert "Phòng Nội vụ" in preview
    assert "Phòng Kinh tế," not in preview.replace(LONG, "")  # the old Phòng Kinh tế is not given it
    short = text_of(await say(app, ADMIN_ID, "/giao Kinh tế, Hạ tầng và Đô thị; trước 15/01/2025; Báo cáo"))
    assert "Không tìm thấy" not in short, short
    assert LONG in short


async def test_a_duty_given_to_it_by_nhiemvu(app: App, clock: FakeClock) -> None:
    await _added(app)
    changed = text_of(await say(app, ADMIN_ID, f"/nhiemvu 2 đơn vị {LONG}, Nội vụ"))
    assert "Không tìm thấy" not in changed, changed
    assert f"🏢 Đơn vị thực hiện (2): Phòng Nội vụ, {LONG}" in changed, changed


async def test_the_sheet_reads_it_whole(app: App, clock: FakeClock) -> None:
    await _added(app)
    async with app.core.stores() as store:
        units = await store.units()
    state = PlanState(units=units, groups={}, plan=None, duties=[], duty_keys=set(), today=date(2025, 1, 2))
    problems: list[object] = []
    _groups, keys = _units(SheetRow(7, {"units": f"{LONG}; Nội vụ"}), state, problems)  # type: ignore[arg-type]
    assert problems == []
    named = {unit.key: unit.name for unit in units}
    assert sorted(named[key] for key in keys) == sorted([LONG, "Phòng Nội vụ"])
