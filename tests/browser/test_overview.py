"""The overview in a browser: /tonghop's counts, a chat update on reload, a phone's width, names as text."""

from __future__ import annotations

import re

from playwright.async_api import Browser
from sqlalchemy import update

from bot.app import App
from bot.web.server import WebServer
from scheduler.clock import FakeClock
from storage.models import Unit
from tests.browser.conftest import signed_in
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local, seed

COUNT = re.compile(r"(\d+)/(\d+) đơn vị đã nộp")


async def test_the_columns_count_as_tonghop_does(app: App, clock: FakeClock, site: WebServer, browser: Browser) -> None:
    await seed(app, clock)  # on 08/01: one unit sent, others in progress, waiting, no data, extension asked
    clock.set(local(2025, 1, 13, 9, 0))  # past the legal last day: most are late now
    summary = text_of(await say(app, ADMIN_ID, "/tonghop"))
    page = await signed_in(browser, app, ADMIN_ID)
    counts = await page.locator("table.overview thead .count").all_inner_texts()
    chat = [f"{done}/{total} đã nộp" for done, total in COUNT.findall(summary)]
    assert counts == chat
    assert len(counts) >= 1
    cells = page.locator("table.overview tbody tr", has=page.get_by_role("link", name="Phường Bần Yên Nhân"))
    assert await cells.locator("a.cell").first.inner_text() == "đã nộp 08/01/2025"
    late = page.locator("table.overview tbody tr", has=page.get_by_role("link", name="Phường Dị Sử"))
    assert await late.locator("a.cell.s-overdue").first.inner_text() == "quá hạn 2 ngày"


async def test_a_status_recorded_in_chat_shows_on_reload(
    app: App, clock: FakeClock, site: WebServer, browser: Browser
) -> None:
    await register(app, 3006, "Minh Đức", name="Đức")
    clock.set(local(2025, 1, 8, 9, 0))
    page = await signed_in(browser, app, ADMIN_ID)
    row = page.locator("table.overview tbody tr", has=page.get_by_role("link", name="Phường Minh Đức"))
    assert await row.locator("a.cell").first.inner_text() == "chưa báo cáo"
    await say(app, 3006, "60%, dự kiến 9/1", name="Đức")
    await page.reload()
    assert await row.locator("a.cell").first.inner_text() == "đang làm 60%"
    await row.locator("a.cell").first.click()  # the cell opens the unit's history for that deadline
    await page.wait_for_selector("#updates")
    assert "đang thực hiện 60%" in await page.locator("#updates").inner_text()
    assert "Đức" in await page.locator("#updates").inner_text()


async def test_a_phone_shows_no_sideways_scroll(app: App, clock: FakeClock, site: WebServer, browser: Browser) -> None:
    clock.set(local(2025, 1, 8, 9, 0))
    page = await signed_in(browser, app, ADMIN_ID, width=375)
    rows = await page.locator("table.overview tbody tr:not(.section)").count()
    assert rows >= 18
    widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


async def test_names_show_as_text(app: App, clock: FakeClock, site: WebServer, browser: Browser) -> None:
    async with app.sessions() as session:  # a unit renamed, before any view remembers the names
        await session.exec(update(Unit).where(Unit.key == "cam-xa").values(name="<script>alert(1)</script>"))  # type: ignore[arg-type]
        await session.commit()
    page = await signed_in(browser, app, ADMIN_ID)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.reload()
    assert await page.get_by_role("link", name="<script>alert(1)</script>").count() == 1
    assert dialogs == []
