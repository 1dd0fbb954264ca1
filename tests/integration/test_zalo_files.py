"""File answers on a channel without files (issue 23): one-time links to the office's web page, the
chart also as a picture by URL, and the plan sheet's upload page; each bad use told in one sentence."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from bot.app import App
from bot.channels.zalo import CAPABILITIES
from bot.web.server import WebServer
from bot.web.site import start_page
from scheduler.clock import FakeClock
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of
from tests.integration.test_admins import admin_code
from tests.sheets import PLAN_2025, TASKS, filled

ZALO_ADMIN, OTHER_ADMIN = "6ede01ab", "6ede02cd"
LINK = re.compile(r"https?://\S+/(tep|tai-len)/[\w-]{20,}")


@pytest.fixture
async def site(app: App) -> AsyncIterator[WebServer]:
    app.core.config.capabilities["zalo"] = CAPABILITIES  # as ZaloChannel says when it is made
    server = await start_page(app.settings, app.core)
    try:
        yield server
    finally:
        await server.stop()


async def zalo_admin(app: App, user_id: str = ZALO_ADMIN) -> None:
    answer = text_of(await say(app, user_id, f"/dangky {await admin_code(app)}", channel="zalo"))
    assert "là quản trị của Văn phòng" in answer


async def link_of(app: App, text: str, user_id: str = ZALO_ADMIN) -> str:
    outcome = await say(app, user_id, text, channel="zalo")
    assert all(reply.document is None and reply.photo is None for reply in outcome.replies)
    found = LINK.search(text_of(outcome))
    assert found, text_of(outcome)
    return found.group(0)


async def fetch(url: str, *, post: bool = False, cookies: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    async with (
        aiohttp.ClientSession(cookies=cookies) as client,
        client.request("POST" if post else "GET", url, allow_redirects=False) as response,
    ):
        return response.status, await response.read(), response.headers.get("Content-Disposition", "")


async def test_the_workbook_letter_and_chart_download_once_from_their_links(
    app: App, site: WebServer, clock: FakeClock
) -> None:
    clock.advance(timedelta(days=10))  # the first deadline has passed: the letter has late units to name
    await zalo_admin(app)
    for command, name, magic in (
        ("/xuat", ".xlsx", b"PK"),
        ("/congvan", ".docx", b"PK"),
        ("/bieudo", ".png", b"\x89PNG"),
    ):
        url = await link_of(app, command)
        status, page, _ = await fetch(url)  # what a link preview would open: a page with a button
        assert status == 200
        assert "Tải xuống" in page.decode()
        assert (await fetch(url))[0] == 200  # opened again: still not spent
        status, body, disposition = await fetch(url, post=True)
        assert status == 200, body.decode(errors="replace")
        assert body.startswith(magic)
        assert disposition.endswith(name)
        status, again, _ = await fetch(url, post=True)
        assert status == 410
        assert "Liên kết này đã được dùng hoặc đã hết hạn" in again.decode()


async def test_an_expired_link_is_refused_in_a_sentence(app: App, site: WebServer, clock: FakeClock) -> None:
    await zalo_admin(app)
    url = await link_of(app, "/xuat")
    clock.advance(timedelta(minutes=10, seconds=1))
    status, page, _ = await fetch(url, post=True)
    assert status == 410
    assert "Liên kết này đã được dùng hoặc đã hết hạn (mỗi liên kết dùng được một lần, trong 10 phút)" in page.decode()


async def test_another_admins_link_is_refused_and_stays_theirs(app: App, site: WebServer) -> None:
    await zalo_admin(app)
    url = await link_of(app, "/xuat")
    sign_in = LINK_WEB.search(text_of(await say(app, ADMIN_ID, "/web")))
    assert sign_in
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:  # another admin, signed in
        async with browser.post(sign_in.group(0), allow_redirects=False) as response:
            assert response.status == 303
        async with browser.post(url, allow_redirects=False) as response:
            assert response.status == 403
            assert "Liên kết này được tạo cho người khác" in await response.text()
    status, body, _ = await fetch(url, post=True)  # its own person still downloads it, once
    assert status == 200
    assert body.startswith(b"PK")


LINK_WEB = re.compile(r"https?://\S+/vao/[\w-]{20,}")


async def test_a_sign_in_link_is_no_file_link_and_a_file_link_signs_nobody_in(app: App, site: WebServer) -> None:
    await zalo_admin(app)
    url = await link_of(app, "/xuat")
    assert (await fetch(url.replace("/tep/", "/vao/"), post=True))[0] == 410
    sign_in = LINK_WEB.search(text_of(await say(app, ZALO_ADMIN, "/web", channel="zalo")))
    assert sign_in
    assert (await fetch(sign_in.group(0).replace("/vao/", "/tep/"), post=True))[0] == 410
    assert (await fetch(url, post=True))[0] == 200


async def test_without_the_web_page_a_file_answer_says_so(app: App, site: WebServer) -> None:
    await zalo_admin(app)
    url = await link_of(app, "/xuat")
    await site.stop()
    app.core.config.web_url = None  # what a stopped page leaves (bot/web/service.py, ServiceWeb.stop)
    answer = text_of(await say(app, ZALO_ADMIN, "/xuat", channel="zalo"))
    assert answer.startswith("Kênh này không gửi được tệp, và trang web của Văn phòng (nơi tải tệp) đang không chạy")
    with pytest.raises(aiohttp.ClientConnectionError):
        await fetch(url, post=True)


async def test_the_chart_also_goes_as_a_picture_from_a_public_https_address(app: App, site: WebServer) -> None:
    await zalo_admin(app)
    assert (await say(app, ZALO_ADMIN, "/bieudo", channel="zalo")).replies[0].photo_url is None  # http://127.0.0.1
    local = app.core.config.web_url or ""
    app.core.config.web_url = "https://vanphong.example.vn"
    outcome = await say(app, ZALO_ADMIN, "/bieudo", channel="zalo")
    photo = outcome.replies[0].photo_url
    assert photo is not None
    assert photo.startswith("https://vanphong.example.vn/anh/")
    for _time in range(2):  # the platform may fetch it more than once while the link lives
        status, body, _ = await fetch(photo.replace("https://vanphong.example.vn", local))
        assert status == 200
        assert body.startswith(b"\x89PNG")
    assert (await fetch(local + "/anh/not-a-token"))[0] == 410


async def test_the_plan_sheet_goes_through_the_upload_page(app: App, site: WebServer) -> None:
    await zalo_admin(app)
    template = await link_of(app, "/maukehoach")
    status, sheet, disposition = await fetch(template, post=True)
    assert status == 200
    assert disposition.endswith("mau-ke-hoach.xlsx")
    upload = await link_of(app, "/taikehoach")
    assert "/tai-len/" in upload
    assert (await fetch(upload))[0] == 200

    async def send(content: bytes, name: str = "ke-hoach.xlsx", command: str | None = None) -> tuple[int, str]:
        form = aiohttp.FormData()
        if command is None:
            form.add_field("sheet", io.BytesIO(content), filename=name, content_type="application/octet-stream")
        else:
            form.add_field("command", command)
        async with aiohttp.ClientSession() as client, client.post(upload, data=form) as response:
            return response.status, await response.text()

    status, page = await send(b"not a workbook at all", "bao-cao.xlsx")
    assert status == 200
    assert "Không đọc được tệp Excel: đề nghị gửi kế hoạch dưới dạng tệp .xlsx" in page
    status, page = await send(b"x" * (20 * 1024 * 1024))
    assert status == 413
    assert "Tệp quá lớn so với một bảng kế hoạch (tối đa 1 MB)" in page
    status, page = await send(filled(sheet, plan=PLAN_2025, rows=TASKS))
    assert "📥 Kế hoạch mới “Kế hoạch rà soát biên chế năm 2025”" in page
    apply = re.search(r'name="command" value="(/nhapkehoach [^"]+)"', page)
    assert apply
    status, page = await send(b"", command=apply.group(1))
    assert "✅ Đã áp dụng kế hoạch “Kế hoạch rà soát biên chế năm 2025”" in page
    assert (await send(b"", command=apply.group(1)))[0] == 410  # the link is spent by its decision


async def test_each_chart_of_an_answer_has_its_own_link(app: App, site: WebServer, clock: FakeClock) -> None:
    clock.advance(timedelta(days=10))
    await zalo_admin(app)
    outcome = await say(app, ZALO_ADMIN, "/bieudo", channel="zalo")
    links = [found.group(0) for reply in outcome.replies if (found := LINK.search(reply.text))]
    assert len(links) == len(outcome.replies) > 1
    bodies = []
    for url in links:
        status, body, disposition = await fetch(url, post=True)
        assert status == 200
        assert disposition.endswith(".png")
        bodies.append(body)
    assert len(set(bodies)) == len(bodies)  # each link opened its own deadline's chart
