"""Signing in with /web's link: once and only once; without a session, the page says to send /web."""

from __future__ import annotations

from playwright.async_api import Browser

from bot.app import App
from bot.web.server import WebServer
from tests.browser.conftest import link_for, signed_in
from tests.conftest import ADMIN_ID
from tests.helpers import say, text_of


async def test_a_link_signs_in_once_and_only_once(app: App, site: WebServer, browser: Browser) -> None:
    link = await link_for(app, ADMIN_ID)
    first = await (await browser.new_context()).new_page()
    await first.goto(link)
    await first.wait_for_url(f"{site.url}/")
    assert await first.locator("table.overview").count() == 1
    cookie = next(c for c in await first.context.cookies() if c["name"] == "nhacviec_session")
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Lax", False)
    second = await (await browser.new_context()).new_page()  # the same link again, in another browser
    await second.goto(link)
    assert await second.locator("#sentence").inner_text() == (
        "Liên kết này đã được dùng hoặc đã hết hạn: hãy gửi lại /web cho bot để nhận liên kết mới."
    )


async def test_a_link_expires_after_ten_minutes(app: App, site: WebServer, browser: Browser, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    link = await link_for(app, ADMIN_ID)
    clock.advance(timedelta(minutes=10, seconds=1))
    page = await browser.new_page()
    response = await page.goto(link)
    await page.wait_for_selector("#sentence")
    assert "/web" in await page.locator("#sentence").inner_text()
    assert response is not None


async def test_without_a_session_the_page_says_to_send_web(app: App, site: WebServer, browser: Browser) -> None:
    page = await browser.new_page()
    response = await page.goto(f"{site.url}/")
    assert response is not None
    assert response.status == 401
    assert "/web" in await page.locator("#sentence").inner_text()


async def test_signing_out_ends_the_session(app: App, site: WebServer, browser: Browser) -> None:
    page = await signed_in(browser, app, ADMIN_ID)
    await page.get_by_role("button", name="Đăng xuất").click()
    await page.wait_for_selector("#sentence")
    response = await page.goto(f"{site.url}/")
    assert response is not None
    assert response.status == 401


async def test_web_is_in_the_guide(app: App) -> None:
    assert "/web" in text_of(await say(app, ADMIN_ID, "/huongdan"))
