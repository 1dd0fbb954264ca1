"""The page still works under its Content-Security-Policy (issue 27): the sign-in page's script runs
from /static, the style sheet applies, and the browser reports no violation on any page."""

from __future__ import annotations

from playwright.async_api import Browser, ConsoleMessage

from bot.app import App
from bot.web.server import WebServer
from tests.browser.conftest import link_for
from tests.conftest import ADMIN_ID


async def test_the_page_works_under_its_policy(app: App, site: WebServer, browser: Browser) -> None:
    page = await (await browser.new_context()).new_page()
    said: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        said.append(message.text)

    page.on("console", heard)
    response = await page.goto(await link_for(app, ADMIN_ID))
    assert response is not None
    assert "script-src 'self'" in (await response.all_headers())["content-security-policy"]
    await page.wait_for_url(f"{site.url}/")  # the script submitted the sign-in form
    assert await page.locator("table.overview").count() == 1
    header = page.locator("header.top")
    assert await header.evaluate("element => getComputedStyle(element).display") == "flex"  # style.css applies
    for path in ("/task", "/?lang=en", "/"):
        await page.goto(f"{site.url}{path}")
        await page.wait_for_load_state("load")
    assert not [text for text in said if "Content Security Policy" in text], said
