"""The page's downloads follow the chosen plan, and a column's chart is that deadline's (issue 26, item 4).

Played over HTTP with aiohttp's client: signed in through /web's link, as a browser would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from io import BytesIO

import aiohttp
import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import letter_lines, say, text_of
from tests.integration.test_reminders import register
from tests.integration.test_summaries import local

LINK = re.compile(r"https?://\S+/vao/[A-Za-z0-9_-]+")
PLAN = "Kế hoạch triển khai thực hiện Chủ đề công tác năm 2025"
TASK = "Báo cáo rà soát biên chế"


@pytest.fixture
async def site(app: App) -> AsyncIterator[WebServer]:
    server = await start_page(app.settings, app.core)
    try:
        yield server
    finally:
        await server.stop()


async def _client(app: App) -> aiohttp.ClientSession:
    link = LINK.search(text_of(await say(app, ADMIN_ID, "/web", name="Văn phòng")))
    assert link is not None
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with client.post(link.group(0)) as response:
        assert response.status == 200
    return client


async def _two_plans(app: App, clock: FakeClock) -> int:
    """The 2025 plan and the office's own tasks, both late on 13/01; the id of the second."""
    await say(app, ADMIN_ID, "/toi", name="Văn phòng")
    await register(app, 3001, "Nội vụ", name="Lan")
    preview = await say(app, ADMIN_ID, f"/giao Nội vụ; trước 08/01/2025; {TASK}")
    await say(app, ADMIN_ID, preview.replies[0].buttons[0][0].data)
    clock.set(local(2025, 1, 13, 9, 0))
    async with app.core.stores() as store:
        return next(plan.id or 0 for plan in await store.plans() if plan.key == "nhiem-vu-van-phong")


async def _get(client: aiohttp.ClientSession, site: WebServer, path: str) -> tuple[bytes, str]:
    async with client.get(f"{site.url}{path}") as response:
        assert response.status == 200, await response.text()
        return await response.read(), response.headers.get("Content-Disposition", "")


async def test_the_workbook_and_the_letter_are_the_chosen_plans(app: App, clock: FakeClock, site: WebServer) -> None:
    plan = await _two_plans(app, clock)
    async with await _client(app) as client:
        page, _ = await _get(client, site, f"/?plan={plan}")
        assert f"/download/letter?plan={plan}" in page.decode()
        content, _ = await _get(client, site, f"/download/workbook?plan={plan}&duty=")
        sheet = load_workbook(BytesIO(content))["Tổng hợp"]
        duties = {str(row[1].value) for row in sheet.iter_rows() if row[1].value}
        assert any(TASK in duty for duty in duties)
        assert not any(PLAN in duty for duty in duties)
        content, _ = await _get(client, site, f"/download/letter?plan={plan}&duty=")
        lines = letter_lines(content)
        assert any(TASK in line for line in lines)
        assert not any(PLAN in line for line in lines)


async def test_a_columns_chart_is_that_deadlines_picture(app: App, clock: FakeClock, site: WebServer) -> None:
    await _two_plans(app, clock)
    monthly = await say(app, ADMIN_ID, "/bieudo bao-cao-thang-cam-ket 20/01/2025")
    assert len(monthly.replies) == 1
    wanted = monthly.replies[0].photo
    assert wanted is not None
    async with await _client(app) as client:
        page, _ = await _get(client, site, "/")
        links = re.findall(r'href="(/download/chart\?[^"]+)"', page.decode())
        assert len(links) >= 2  # one a deadline
        chosen = next(link for link in links if "deadline=2025-01-20" in link).replace("&amp;", "&")
        content, disposition = await _get(client, site, chosen)
        assert disposition.endswith(wanted.file_name)
        assert content == wanted.content
