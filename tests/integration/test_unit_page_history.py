"""A unit page's history of one deadline reads that deadline's updates from the database, however many
newer updates of other deadlines there are (issue 26, item 5): no LIMIT before the filter."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.app import App
from bot.web.server import WebServer
from scheduler.clock import FakeClock
from storage.models import Duty, Occurrence, Unit
from tests.conftest import ADMIN_ID
from tests.helpers import say
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local
from tests.integration.test_web_downloads import _client, _get, site

__all__ = ["site"]


async def test_a_deadlines_old_updates_stay_on_the_unit_page(app: App, clock: FakeClock, site: WebServer) -> None:
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Nội vụ", name="Lan")
    clock.set(local(2025, 1, 6, 9, 0))
    await say(app, 3001, "kế hoạch năm đang thực hiện 40%", name="Lan")
    await say(app, 3001, "báo cáo tháng đang thực hiện 10%", name="Lan")
    async with app.sessions() as session:
        unit = (await session.exec(select(Unit).where(Unit.key == "noi-vu"))).one()
        query = select(Occurrence, Duty).join(Duty, Duty.id == Occurrence.duty_id)
        rows = (await session.exec(query)).all()
    plan = next(o for o, d in rows if d.key == "ke-hoach-2025")
    monthly = next(o for o, d in rows if d.key == "bao-cao-thang-cam-ket")
    async with app.core.stores() as store:  # 250 newer updates of the monthly report
        for number in range(250):
            await store.record_status(
                occurrence_id=monthly.id,
                unit_id=unit.id,
                status="in_progress",
                percent=number % 99,
                channel="telegram",
                at=clock.now() + timedelta(minutes=number),
                by_office=True,
            )
        await store.commit()
    async with await _client(app) as client:
        page, _ = await _get(client, site, f"/unit/{unit.id}?occurrence={plan.id}#updates")
    assert "đang thực hiện 40%" in page.decode()
