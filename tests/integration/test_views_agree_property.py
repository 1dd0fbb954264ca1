"""A property: on any history, /tonghop, /quahan, the workbook and the chart tell the same story.

Random histories of four units with officials (replies in words, /sua, extension requests granted or
refused, the office's /capnhat) and days passing, on the 2025 plan due 10/01. Whatever happened, each
unit is in the same state in every view: sent, or late, or neither.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import select

from bot.app import App, running
from bot.settings import load_settings
from scheduler.clock import FakeClock
from storage.models import Extension
from tests.conftest import ADMIN_ID, START
from tests.helpers import code_in, late_by_report, say, text_of, workbook_rows

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
UNITS = {4001: "Phường Bần Yên Nhân", 4002: "Phường Phan Đình Phùng", 4003: "Phường Nhân Hòa", 4004: "Phường Dị Sử"}
WORDS = ["đã nộp", "60%, dự kiến 15/1", "đang trình ký", "ko co sl", "xin lùi 3 ngày", "da nop roi a"]

actions = st.lists(
    st.one_of(
        st.tuples(st.just("say"), st.sampled_from(sorted(UNITS)), st.sampled_from(WORDS)),
        st.tuples(st.just("fix"), st.sampled_from(sorted(UNITS)), st.sampled_from(["/sua 50%", "/sua đã nộp"])),
        st.tuples(st.just("office"), st.sampled_from(sorted(UNITS)), st.sampled_from(["đã nộp", "ko co sl", "30%"])),
        st.tuples(st.just("decide"), st.just(0), st.sampled_from(["yes", "no"])),
        st.tuples(st.just("wait"), st.just(0), st.sampled_from(["1", "2", "4"])),
    ),
    max_size=12,
)


async def _play(app: App, clock: FakeClock, history: list[tuple[str, int, str]]) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    for user, unit in UNITS.items():
        code = code_in(await say(app, ADMIN_ID, f"/moi {unit}"))
        await say(app, user, f"/dangky {code}", name=f"Cán bộ {user}")
    clock.set(datetime(2025, 1, 6, 2, 0, tzinfo=UTC))  # Monday 09:00
    for kind, user, words in history:
        if kind in ("say", "fix"):
            outcome = await say(app, user, words, name=f"Cán bộ {user}")
            buttons = [button for reply in outcome.replies for row in reply.buttons for button in row]
            if buttons and buttons[0].data.startswith("/ghi"):  # asked which: take the plan
                await say(app, user, buttons[0].data, name=f"Cán bộ {user}")
        elif kind == "office":
            await say(app, ADMIN_ID, f"/capnhat {UNITS[user]}: {words}", name="Văn phòng")
        elif kind == "decide":
            async with app.sessions() as session:
                pending = (await session.exec(select(Extension.id).where(Extension.decision == "requested"))).all()
            for extension in pending:
                await say(app, ADMIN_ID, f"/giahan {extension} {words}", name="Văn phòng")
        else:
            clock.advance(timedelta(days=int(words)))


def _groups(summary: str) -> dict[str, str]:
    """Each unit's group in /tonghop's first report."""
    found, group = {}, ""
    for line in summary.split("\n\n")[0].splitlines():
        if line.startswith("• "):
            found[line.removeprefix("• ").split(" — ")[0]] = group
        elif line.endswith(":") and "(" in line:
            group = line.split(" (")[0]
    return found


async def _check(app: App) -> None:
    summary = text_of(await say(app, ADMIN_ID, f"/tonghop {PLAN}"))
    groups = _groups(summary)
    late = late_by_report(text_of(await say(app, ADMIN_ID, "/quahan"))).get(PLAN, [])
    late_units = {line.split(": ")[0] for line in late}
    book = load_workbook(BytesIO((await say(app, ADMIN_ID, f"/xuat {PLAN}")).replies[0].document.content))  # type: ignore[union-attr]
    sheet = book[book.sheetnames[1]]
    rows = {row[0]: row for row in workbook_rows(sheet)}
    totals = next(row for row in workbook_rows(book[book.sheetnames[0]]) if row[0] == PLAN)
    chart = (await say(app, ADMIN_ID, f"/bieudo {PLAN}")).replies[0].text
    sent = {unit for unit, group in groups.items() if group == "✅ Đã nộp"}
    assert f": {len(sent)}/{len(rows)} đơn vị đã nộp" in summary.splitlines()[0]
    assert chart.endswith(f": {len(sent)}/{len(rows)} đơn vị đã nộp")
    assert totals[5] == len(sent)
    for unit in UNITS.values():
        in_late = unit in late_units
        assert (rows[unit][2] == "Đã nộp") == (unit in sent), (unit, rows[unit], groups.get(unit))
        assert in_late == (groups.get(unit) == "⏰ Quá hạn"), (unit, groups.get(unit), late)
        assert in_late == (rows[unit][6] > 0), (unit, rows[unit])
        assert not (in_late and unit in sent)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=actions)
def test_every_view_agrees_on_every_unit(history: list[tuple[str, int, str]]) -> None:
    async def main() -> None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'views.db'}"
            clock = FakeClock(START)
            async with running(load_settings(database_url=url, admins=str(ADMIN_ID)), clock=clock) as app:
                await _play(app, clock, history)
                await _check(app)

    asyncio.run(main())
